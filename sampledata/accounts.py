"""Demo logins, shared by the demo data and the start-up banner (no Django imports here)."""

DEMO_PASSWORD = "demo12345"

# Shown when `make run` starts, grouped by what each login shows, as in the README. The
# logins keep their pre-2025 names; the units are those after the 2025 reorganisation.
DEMO_LOGIN_GROUPS = [
    (
        "Quản trị và theo dõi toàn quốc",
        [
            ("admin", "Quản trị hệ thống, mọi dữ liệu và trang quản trị"),
            ("bdv.trunguong", "Chuyên viên Ban Tuyên giáo và Dân vận Trung ương, cả nước"),
        ],
    ),
    (
        "Thành ủy Hải Phòng (Hải Dương sáp nhập từ 01/07/2025)",
        [
            ("bdv.haiduong", "Chuyên viên Ban Tuyên giáo và Dân vận Thành ủy, cả thành phố"),
            ("thuongtruc.haiduong", "Thường trực Thành ủy, cả thành phố (chỉ xem)"),
            ("ubkt.haiduong", "Ủy ban Kiểm tra Thành ủy, cả thành phố (chỉ xem)"),
            ("lanhdao.mttq.haiduong", "Lãnh đạo Ủy ban MTTQ thành phố, đơn vị mình"),
            ("canbo.mttq.haiduong", "Cán bộ Ủy ban MTTQ thành phố, đơn vị mình"),
        ],
    ),
    (
        "Ban Tuyên giáo và Dân vận các tỉnh khác",
        [
            ("bdv.phuyen", "Chuyên viên, Tỉnh ủy Đắk Lắk (Phú Yên đến 30/06/2025)"),
            ("bdv.hatinh", "Chuyên viên, Tỉnh ủy Hà Tĩnh"),
            ("bdv.kiengiang", "Chuyên viên, Tỉnh ủy An Giang (Kiên Giang đến 30/06/2025)"),
        ],
    ),
    (
        "Tỉnh ủy Quảng Ngãi (Thị ủy Đức Phổ đến 30/06/2025)",
        [
            ("bdv.ducpho", "Chuyên viên Ban Tuyên giáo và Dân vận Tỉnh ủy, cả tỉnh"),
            ("thuongtruc.ducpho", "Thường trực Tỉnh ủy, cả tỉnh (chỉ xem)"),
            ("lanhdao.ubnd.ducpho", "Lãnh đạo UBND tỉnh, đơn vị mình"),
            ("canbo.ubnd.ducpho", "Cán bộ UBND tỉnh, đơn vị mình"),
            ("lanhdao.phoninh", "Lãnh đạo Đảng ủy phường Phổ Ninh, phường mình"),
            ("canbo.phoninh", "Cán bộ Đảng ủy phường Phổ Ninh, phường mình"),
        ],
    ),
]
DEMO_LOGINS = [entry for _, group in DEMO_LOGIN_GROUPS for entry in group]
