/* Dashboard charts (Chart.js, vendored). Reads the figures the page embeds as JSON in
   #dashboard-charts; redraws after an htmx swap of the dashboard body. */
(function () {
  "use strict";
  const charts = [];
  const fmt = new Intl.NumberFormat(document.documentElement.lang || "vi");

  function destroy() {
    while (charts.length) charts.pop().destroy();
  }

  function big() {
    // Projectors and wall screens: larger type when the screen is wide.
    return window.innerWidth >= 1600 ? 16 : (window.innerWidth < 576 ? 11 : 13);
  }

  function draw() {
    const source = document.getElementById("dashboard-charts");
    if (!source || typeof Chart === "undefined") return;
    destroy();
    const data = JSON.parse(source.textContent);
    Chart.defaults.font.size = big();
    Chart.defaults.maintainAspectRatio = false;

    const unitsCanvas = document.getElementById("chart-units");
    if (unitsCanvas && data.units.labels.length) {
      const chart = new Chart(unitsCanvas, {
        type: "bar",
        data: {
          labels: data.units.labels,
          datasets: data.statuses.map(function (s) {
            return { label: s.label, data: data.units.values[s.key], backgroundColor: s.colour };
          }),
        },
        options: {
          indexAxis: "y",
          responsive: true,
          scales: { x: { stacked: true, ticks: { precision: 0 } }, y: { stacked: true } },
          plugins: {
            legend: { position: "bottom" },
            tooltip: { callbacks: { label: function (c) { return c.dataset.label + ": " + fmt.format(c.raw); } } },
          },
          onClick: function (event, elements) {
            // Drill down: a click on a unit's bar opens that unit's dashboard.
            if (!elements.length) return;
            const id = data.units.ids[elements[0].index];
            const params = new URLSearchParams(window.location.search);
            params.set("unit", id);
            window.location.search = params.toString();
          },
        },
      });
      unitsCanvas.parentElement.style.height = Math.max(260, 38 * data.units.labels.length + 90) + "px";
      charts.push(chart);
    }

    const trendCanvas = document.getElementById("chart-trend");
    if (trendCanvas) {
      charts.push(new Chart(trendCanvas, {
        data: {
          labels: data.trend.labels,
          datasets: [
            { type: "line", label: data.text.rate, data: data.trend.rate, yAxisID: "rate", borderColor: "#2e7d32", backgroundColor: "#2e7d32", spanGaps: true, tension: 0.2 },
            { type: "bar", label: data.text.overdue, data: data.trend.overdue, yAxisID: "count", backgroundColor: "#c62828" },
            { type: "bar", label: data.text.done, data: data.trend.done, yAxisID: "count", backgroundColor: "#90caf9" },
          ],
        },
        options: {
          responsive: true,
          scales: {
            rate: { position: "right", min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } },
            count: { position: "left", beginAtZero: true, ticks: { precision: 0 } },
          },
          plugins: { legend: { position: "bottom" } },
        },
      }));
    }
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSettle", draw);
  window.addEventListener("resize", function () { clearTimeout(window.__dashResize); window.__dashResize = setTimeout(draw, 300); });
})();
