"""Demo logins, shared by the demo data and the start-up banner (no Django imports here)."""

DEMO_PASSWORD = "demo12345"

# Shown when `make run` starts, grouped by what each login shows, as in the README.
DEMO_LOGIN_GROUPS = [
    (
        "Quản trị và theo dõi toàn quốc",
        [
            ("admin", "Quản trị hệ thống, mọi dữ liệu và trang quản trị"),
            ("bdv.trunguong", "Chuyên viên Ban Dân vận Trung ương, cả nước"),
        ],
    ),
    (
        "Tỉnh ủy Hải Dương",
        [
            ("bdv.haiduong", "Chuyên viên Ban Dân vận Tỉnh ủy, theo dõi cả tỉnh"),
            ("thuongtruc.haiduong", "Thường trực Tỉnh ủy, cả tỉnh (chỉ xem)"),
            ("ubkt.haiduong", "Ủy ban Kiểm tra Tỉnh ủy, cả tỉnh (chỉ xem)"),
            ("lanhdao.mttq.haiduong", "Lãnh đạo Ủy ban MTTQ tỉnh, đơn vị mình"),
            ("canbo.mttq.haiduong", "Cán bộ Ủy ban MTTQ tỉnh, đơn vị mình"),
        ],
    ),
    (
        "Ban Dân vận các tỉnh khác",
        [
            ("bdv.phuyen", "Chuyên viên Ban Dân vận Tỉnh ủy Phú Yên"),
            ("bdv.hatinh", "Chuyên viên Ban Dân vận Tỉnh ủy Hà Tĩnh"),
            ("bdv.kiengiang", "Chuyên viên Ban Dân vận Tỉnh ủy Kiên Giang"),
        ],
    ),
    (
        "Thị ủy Đức Phổ (Quảng Ngãi)",
        [
            ("bdv.ducpho", "Chuyên viên Ban Dân vận Thị ủy, theo dõi cả thị xã"),
            ("thuongtruc.ducpho", "Thường trực Thị ủy, cả thị xã (chỉ xem)"),
            ("lanhdao.ubnd.ducpho", "Lãnh đạo UBND thị xã, đơn vị mình"),
            ("canbo.ubnd.ducpho", "Cán bộ UBND thị xã, đơn vị mình"),
            ("lanhdao.phoninh", "Lãnh đạo Đảng ủy phường Phổ Ninh, phường mình"),
            ("canbo.phoninh", "Cán bộ Đảng ủy phường Phổ Ninh, phường mình"),
        ],
    ),
]
DEMO_LOGINS = [entry for _, group in DEMO_LOGIN_GROUPS for entry in group]
