"""The canned replies the hotline starts with (Vietnamese); admins edit them afterwards."""

CANNED_REPLIES = [
    (
        "Chào hỏi",
        "Chào bạn, mình là tư vấn viên của Tổng đài hỗ trợ thanh thiếu nhi trên không gian mạng. Cảm ơn bạn đã "
        "tin tưởng kể cho chúng mình. Bạn không có lỗi gì cả. Bạn có thể kể thêm cho mình chuyện gì đã xảy ra "
        "không? Bạn không cần nói tên thật.",
        None,
    ),
    (
        "Bị đe dọa tung ảnh (sextortion): việc cần làm ngay",
        "Mình rất tiếc vì bạn đang gặp chuyện này. Đây không phải lỗi của bạn. Bạn hãy làm ngay mấy việc sau:\n"
        "1. Đừng gửi thêm ảnh hay tiền, và đừng trả lời người đó nữa — trả tiền thường không làm họ dừng lại.\n"
        "2. Đừng xóa tin nhắn: chụp màn hình cuộc trò chuyện, tên tài khoản và đường link trang cá nhân của họ.\n"
        "3. Chặn và báo cáo tài khoản đó trên ứng dụng.\n"
        "4. Gửi cho mình đường link tài khoản, đừng gửi ảnh nhạy cảm. Chúng mình sẽ đề nghị gỡ và báo Công an.\n"
        "Nếu bạn thấy không an toàn hoặc muốn làm hại bản thân, hãy gọi ngay 111 hoặc 113.",
        "OSE",
    ),
    (
        "Cách báo cáo một tài khoản với nền tảng",
        "Để báo cáo tài khoản với nền tảng: mở trang cá nhân của tài khoản đó, bấm vào dấu ba chấm (⋯) hoặc "
        "biểu tượng lá cờ, chọn “Báo cáo”, rồi chọn lý do gần nhất (quấy rối, giả mạo, lừa đảo, nội dung "
        "nhạy cảm…). Trên Facebook, Messenger, TikTok, Zalo và Instagram đều làm được như vậy. Bạn nhớ chụp màn "
        "hình trước khi chặn nhé, và gửi cho mình đường link để chúng mình theo dõi việc gỡ bỏ.",
        None,
    ),
    (
        "Hẹn nhắn lại",
        "Mình vẫn đang theo dõi trường hợp của bạn. Khi nào bạn sẵn sàng thì nhắn lại cho mình ở đây nhé — bạn có "
        "thể quay lại bất cứ lúc nào bằng mã hồ sơ và mã truy cập của bạn.",
        None,
    ),
]


def seed_canned_replies(CannedReply, Category):
    if CannedReply.objects.exists():
        return
    for order, (title, text, category_code) in enumerate(CANNED_REPLIES):
        category = Category.objects.filter(code=category_code).first() if category_code else None
        CannedReply.objects.create(title=title, text=text, category=category, sort_order=order, language="vi")
