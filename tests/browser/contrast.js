// The WCAG contrast ratio of an element's text on its (first opaque) background, and the
// content of its ::before (an icon of the vendored font, or "none").
el => {
  const parse = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
  const channel = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const lum = rgb => { const [r, g, b] = rgb.map(channel); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(el);
  let bg = style.backgroundColor, node = el;
  while (bg === 'rgba(0, 0, 0, 0)' && node.parentElement) {
    node = node.parentElement;
    bg = getComputedStyle(node).backgroundColor;
  }
  const a = lum(parse(style.color)), b = lum(parse(bg));
  return {
    ratio: (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05),
    background: bg,
    icon: getComputedStyle(el, '::before').content,
  };
}
