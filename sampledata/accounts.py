"""Demo logins, shared by the demo data and the start-up banner (no Django imports here)."""

DEMO_PASSWORD = "demo12345"

# Shown when `make run` starts; the README lists every demo account.
DEMO_LOGINS = [
    ("admin", "Quản trị hệ thống"),
    ("bdv.haiduong", "Chuyên viên Ban Dân vận Tỉnh ủy Hải Dương"),
    ("thuongtruc.haiduong", "Thường trực Tỉnh ủy Hải Dương (chỉ xem)"),
    ("ubkt.haiduong", "Ủy ban Kiểm tra Tỉnh ủy Hải Dương (chỉ xem)"),
    ("lanhdao.mttq.haiduong", "Lãnh đạo Ủy ban MTTQ tỉnh Hải Dương"),
    ("canbo.mttq.haiduong", "Cán bộ Ủy ban MTTQ tỉnh Hải Dương"),
    ("bdv.ducpho", "Chuyên viên Ban Dân vận Thị ủy Đức Phổ"),
    ("canbo.phoninh", "Cán bộ Đảng ủy phường Phổ Ninh, thị xã Đức Phổ"),
]
