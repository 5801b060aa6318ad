"""Demo logins, shared by the demo data and the start-up banner (no Django imports here)."""

DEMO_PASSWORD = "demo12345"

# Shown when `make run` starts; the README lists every demo account. The logins keep
# their pre-2025 names; the units are those after the 2025 reorganisation.
DEMO_LOGINS = [
    ("admin", "Quản trị hệ thống"),
    ("bdv.haiduong", "Chuyên viên Ban Tuyên giáo và Dân vận Thành ủy Hải Phòng"),
    ("thuongtruc.haiduong", "Thường trực Thành ủy Hải Phòng (chỉ xem)"),
    ("ubkt.haiduong", "Ủy ban Kiểm tra Thành ủy Hải Phòng (chỉ xem)"),
    ("lanhdao.mttq.haiduong", "Lãnh đạo Ủy ban MTTQ thành phố Hải Phòng"),
    ("canbo.mttq.haiduong", "Cán bộ Ủy ban MTTQ thành phố Hải Phòng"),
    ("bdv.ducpho", "Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy Quảng Ngãi"),
    ("canbo.phoninh", "Cán bộ Đảng ủy phường Phổ Ninh, tỉnh Quảng Ngãi"),
]
