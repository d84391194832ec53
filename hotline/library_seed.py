# ruff: noqa: E501 (article prose: one paragraph per line, as supervisors will edit it)
"""The articles the library starts with (Vietnamese, for 12–17-year-olds and their parents).

Loaded once by migration hotline 0001; supervisors edit them in the app afterwards. Platform steps are kept
general ("the three dots", "Report") because apps rename their menus. What they were checked against (Nov. 2026):
Roblox: its help centre (Report Abuse in the in-game menu); Facebook: a copy of its "How to report things" help page
and guides; TikTok: guides and a page quoting its "Report a problem" steps; Zalo: Vietnamese guides ("Báo xấu");
Free Fire: a report of Garena's own instructions (report icon after a match); Take It Down/StopNCII: NCMEC's
announcement and guides. Instagram and YouTube could not be checked: their steps are the general pattern and a
supervisor should review them first.
"""

ARTICLES = [
    {
        "slug": "bi-de-doa-tung-anh",
        "situation": "threatened",
        "category": "OSE",
        "title_vi": "Có người dọa tung ảnh của mình: làm gì ngay bây giờ?",
        "title_en": "Someone threatens to share my photos: what to do right now",
        "summary_vi": "Đừng trả tiền, đừng gửi thêm ảnh, đừng xóa tin nhắn. Lưu bằng chứng, nói với người lớn và báo cáo.",
        "summary_en": "Do not pay, do not send more, do not delete. Keep evidence, tell an adult, report.",
        "body_vi": """Nếu ai đó đang dọa đăng ảnh hoặc video riêng tư của bạn lên mạng để đòi tiền, đòi thêm ảnh hay ép bạn làm gì đó, hãy nhớ: **đây không phải lỗi của bạn**, và bạn không phải đối mặt một mình. Kẻ dọa dẫm làm vậy với rất nhiều người, nên có cách để xử lý.

## Làm ngay

1. **Đừng trả tiền, đừng gửi thêm ảnh.** Trả tiền gần như không bao giờ làm họ dừng lại; họ thường đòi thêm.
2. **Ngừng trả lời.** Không cần giải thích hay năn nỉ. Bạn có thể chặn họ *sau khi* đã lưu bằng chứng.
3. **Đừng xóa gì cả.** Chụp màn hình cuộc trò chuyện, tên tài khoản, đường link trang cá nhân của họ, số tài khoản ngân hàng hoặc ví họ đưa ra.
4. **Nói với một người lớn bạn tin** (bố mẹ, anh chị, thầy cô) hoặc nhắn cho chúng mình. Chúng mình không trách bạn.
5. **Báo cáo tài khoản đó** trên ứng dụng (xem các bài "Báo cáo tài khoản" trong thư viện).
6. **Gửi cho chúng mình đường link, không gửi ảnh nhạy cảm.** Chúng mình sẽ đề nghị gỡ bỏ và báo Công an khi cần.

## Nếu ảnh đã bị đăng

Báo cáo từng bài đăng trên nền tảng, chọn lý do "ảnh khỏa thân / nội dung tình dục" hoặc "chia sẻ hình ảnh riêng tư". Đọc thêm bài *Gỡ ảnh nhạy cảm khỏi mạng*.

## Khi bạn thấy quá sức

Nếu bạn thấy hoảng sợ, tuyệt vọng hoặc có ý nghĩ làm hại bản thân, hãy gọi ngay **111** (Tổng đài quốc gia bảo vệ trẻ em, miễn phí) hoặc **113** nếu đang gặp nguy hiểm.""",
    },
    {
        "slug": "go-anh-nhay-cam-khoi-mang",
        "situation": "threatened",
        "category": "OSE",
        "title_vi": "Gỡ ảnh nhạy cảm khỏi mạng: Take It Down và StopNCII",
        "title_en": "Getting intimate images taken down: Take It Down and StopNCII",
        "summary_vi": 'Hai công cụ miễn phí tạo "dấu vân tay" cho ảnh ngay trên máy bạn, để các nền tảng chặn ảnh đó.',
        "summary_en": "Two free tools make a fingerprint of the image on your phone so that platforms can block it.",
        "body_vi": """Khi một ảnh hoặc video riêng tư của bạn bị đăng (hoặc bạn sợ nó sắp bị đăng), có hai công cụ miễn phí có thể giúp.

## Chúng hoạt động thế nào?

Công cụ tạo ra một **mã băm** (hash) — giống như dấu vân tay của bức ảnh — **ngay trên điện thoại hoặc máy tính của bạn**. Ảnh **không** bị tải lên và không ai xem ảnh. Chỉ mã băm được gửi đi. Các nền tảng tham gia (ví dụ Facebook, Instagram) dùng mã đó để tìm và chặn bản sao của ảnh.

- **Take It Down** (takeitdown.ncmec.org): cho ảnh/video chụp **khi bạn dưới 18 tuổi**. Bạn có thể dùng ẩn danh; bố mẹ có thể làm giúp.
- **StopNCII** (stopncii.org): cho ảnh chụp khi bạn **đã đủ 18 tuổi**.

## Lưu ý

- Công cụ chỉ tìm được **bản sao giống hệt**; ảnh bị cắt hay chỉnh sửa có thể lọt qua. Vẫn nên báo cáo từng bài đăng.
- Chỉ các nền tảng tham gia mới dùng mã băm; với nơi khác, hãy báo cáo trực tiếp và gửi đường link cho chúng mình.
- **Không gửi ảnh nhạy cảm cho ai**, kể cả cho chúng mình: chỉ cần gửi đường link.""",
    },
    {
        "slug": "bi-bat-nat-tren-mang",
        "situation": "bullied",
        "category": "CBH",
        "title_vi": "Bị bắt nạt, chê bai, lập nhóm nói xấu trên mạng",
        "title_en": "Being bullied, mocked or ganged up on online",
        "summary_vi": "Không đáp trả, lưu bằng chứng, chặn và báo cáo, nói với người lớn. Bạn không đáng bị như vậy.",
        "summary_en": "Do not hit back, keep evidence, block and report, tell an adult. You do not deserve this.",
        "body_vi": """Bị trêu chọc, chửi bới, tung tin đồn, lập nhóm tẩy chay hay đăng ảnh chế về mình là **bắt nạt**, dù xảy ra trên mạng. Bạn không đáng bị đối xử như vậy.

## Việc nên làm

1. **Đừng đáp trả** bằng lời lẽ giận dữ: kẻ bắt nạt thường muốn bạn phản ứng.
2. **Lưu bằng chứng**: chụp màn hình tin nhắn, bình luận, bài đăng, kèm ngày giờ và tên tài khoản.
3. **Chặn** người đó và **báo cáo** bài đăng hoặc tài khoản trên nền tảng.
4. **Nói với người lớn** bạn tin: bố mẹ, giáo viên chủ nhiệm, cán bộ Đoàn/Đội ở trường.
5. Nếu có **clip đánh nhau, ảnh bị chế** hoặc lời đe dọa, gửi đường link cho chúng mình để đề nghị gỡ.

## Nếu bạn thấy bạn khác bị bắt nạt

Đừng chia sẻ hay bình luận thêm. Nhắn riêng hỏi thăm bạn ấy, báo cáo bài đăng và nói với thầy cô.

## Chăm sóc bản thân

Tạm rời mạng xã hội một thời gian là bình thường. Nếu bạn buồn kéo dài hoặc có ý nghĩ làm hại bản thân, gọi **111** ngay.""",
    },
    {
        "slug": "lay-lai-tai-khoan-bi-hack",
        "situation": "hacked",
        "category": "ACC",
        "title_vi": "Tài khoản bị hack: cách lấy lại và bảo vệ",
        "title_en": "My account was hacked: getting it back and keeping it safe",
        "summary_vi": "Báo bạn bè đừng tin tin nhắn lạ, dùng chức năng khôi phục của ứng dụng, đổi mật khẩu và bật xác thực 2 lớp.",
        "summary_en": "Warn friends, use the app's recovery, change passwords and turn on two-step verification.",
        "body_vi": """Tài khoản Facebook, Zalo, TikTok hay game của bạn bị người khác chiếm? Làm theo thứ tự sau.

## 1. Báo cho bạn bè, người thân

Kẻ chiếm tài khoản thường nhắn **mượn tiền, xin mã OTP, gửi link lạ** cho danh bạ của bạn. Dùng số điện thoại hoặc tài khoản khác báo mọi người: "Tài khoản của mình bị hack, đừng chuyển tiền hay gửi mã gì".

## 2. Khôi phục tài khoản

- Mở ứng dụng, ở màn hình đăng nhập chọn **"Quên mật khẩu"** hoặc mục trợ giúp **"Tài khoản bị xâm phạm / bị hack"**, rồi làm theo hướng dẫn bằng email hoặc số điện thoại đã đăng ký.
- Với tài khoản game, dùng mục **hỗ trợ khách hàng** chính thức trong game hoặc trang của nhà phát hành. **Không** nhờ "dịch vụ lấy lại nick" trên mạng: phần lớn là lừa đảo.

## 3. Khi đã vào lại được

- Đổi mật khẩu mới, dài, không dùng lại ở nơi khác.
- Bật **xác thực hai lớp** (2FA).
- Xem lại **thiết bị đang đăng nhập** và đăng xuất các thiết bị lạ; kiểm tra email, số điện thoại khôi phục.

## Không bao giờ

Đưa **mã OTP** cho bất kỳ ai, kể cả người tự xưng là nhân viên, bạn bè hay người thân.

Nếu kẻ chiếm tài khoản dùng nó để lừa người khác hoặc đe dọa bạn, gửi đường link tài khoản cho chúng mình.""",
    },
    {
        "slug": "lua-dao-bat-coc-online",
        "situation": "scammed",
        "category": "SCM",
        "title_vi": '"Bắt cóc online": cuộc gọi giả danh công an, bắt bạn đi thuê phòng',
        "title_en": '"Online kidnapping": calls from fake police telling you to hide in a room',
        "summary_vi": "Công an thật không bao giờ gọi video bắt bạn giữ bí mật, thuê phòng hay chuyển tiền. Cúp máy, gọi bố mẹ, gọi 113.",
        "summary_en": "Real police never video-call you to keep a secret, rent a room or send money. Hang up, call your parents, call 113.",
        "body_vi": """Kẻ lừa đảo gọi điện hoặc gọi video, **giả làm công an, viện kiểm sát**, nói bạn "liên quan đến một vụ án" hay "rửa tiền". Họ dọa bạn phải **giữ bí mật**, bắt bạn **đi thuê phòng một mình, tắt liên lạc với gia đình**, rồi quay sang báo bố mẹ bạn "bị bắt cóc" để đòi tiền.

## Nhớ kỹ

- Công an thật **không làm việc qua điện thoại hay Zalo** để bắt bạn giữ bí mật với gia đình, đi thuê phòng hay chuyển tiền.
- Không ai "điều tra" bằng cách bắt bạn tắt điện thoại với bố mẹ.

## Nếu bạn đang nhận cuộc gọi như vậy

1. **Cúp máy.** Bạn không vi phạm gì khi cúp máy.
2. **Gọi ngay cho bố mẹ** hoặc người lớn bạn tin.
3. Nếu bạn đã rời nhà hoặc đang ở một mình theo lời họ, gọi **113**.
4. Không cài ứng dụng, không bấm link, không gửi ảnh giấy tờ theo yêu cầu của họ.

## Nếu bố mẹ nhận tin con "bị bắt cóc"

Giữ bình tĩnh, **không chuyển tiền**, gọi trực tiếp cho con và bạn bè, thầy cô của con, và báo **113**.""",
    },
    {
        "slug": "lua-dao-nap-game-viec-nhe",
        "situation": "scammed",
        "category": "SCM",
        "title_vi": 'Lừa đảo nạp game, bán đồ, "việc nhẹ lương cao"',
        "title_en": 'Game top-up, shopping and "easy job, high pay" scams',
        "summary_vi": "Dấu hiệu nhận biết, việc cần làm khi đã chuyển tiền, và cách báo cáo.",
        "summary_en": "The signs, what to do once you have paid, and how to report.",
        "body_vi": """## Dấu hiệu thường gặp

- Bán **kim cương, skin, acc game** rẻ bất thường; bắt chuyển khoản trước, không qua cửa hàng chính thức.
- **"Việc nhẹ lương cao"**: thả tim, làm nhiệm vụ, đặt đơn ảo… lúc đầu trả ít tiền, sau bắt "nạp thêm để rút".
- **Trúng thưởng, quà tặng** nhưng phải nộp phí hoặc gửi mã OTP.
- Tài khoản người quen nhắn **mượn tiền gấp** (có thể đã bị hack).

## Nếu bạn đã chuyển tiền

1. **Dừng lại, không chuyển thêm**, dù họ hứa trả lại.
2. Lưu bằng chứng: tin nhắn, tên tài khoản, **số tài khoản nhận tiền**, biên lai chuyển khoản.
3. Báo ngay cho **bố mẹ** và gọi **ngân hàng** (số tổng đài in trên thẻ hoặc trong ứng dụng) để đề nghị hỗ trợ.
4. Báo cáo tài khoản lừa đảo trên nền tảng và gửi thông tin cho chúng mình; chúng mình có thể chuyển cho Công an.

Bị lừa không phải vì bạn kém cỏi: kẻ lừa đảo làm việc này hằng ngày. Nói ra sớm giúp bạn và người khác.""",
    },
    {
        "slug": "bao-cao-facebook-messenger",
        "situation": "report",
        "category": "CBH",
        "title_vi": "Báo cáo tài khoản, bài viết, tin nhắn trên Facebook và Messenger",
        "title_en": "Reporting an account, post or message on Facebook and Messenger",
        "summary_vi": 'Tìm dấu ba chấm (⋯), chọn "Tìm hỗ trợ hoặc báo cáo", rồi chọn lý do gần nhất.',
        "summary_en": 'Find the three dots (⋯), choose "Find support or report" and the closest reason.',
        "body_vi": """Trước khi báo cáo hay chặn, **chụp màn hình** và **sao chép đường link** trang cá nhân hoặc bài viết.

## Báo cáo trang cá nhân

1. Mở trang cá nhân của tài khoản đó.
2. Bấm dấu **ba chấm (⋯)** gần nút Nhắn tin.
3. Chọn **"Tìm hỗ trợ hoặc báo cáo"** (hoặc **"Báo cáo trang cá nhân"**).
4. Chọn lý do gần nhất (giả mạo, quấy rối, lừa đảo, ảnh khỏa thân…) rồi làm theo hướng dẫn trên màn hình.

## Báo cáo bài viết, ảnh, bình luận

Bấm **⋯** ở góc bài viết (với bình luận: nhấn giữ hoặc bấm ⋯ cạnh bình luận) → **Báo cáo** → chọn lý do.

## Trên Messenger

Mở cuộc trò chuyện → bấm vào **tên người đó** ở trên cùng → **Báo cáo** (hoặc **Chặn**).

Tên nút có thể thay đổi theo phiên bản ứng dụng; hãy tìm chữ **"Báo cáo"** hoặc biểu tượng **⋯**.""",
    },
    {
        "slug": "bao-cao-tiktok",
        "situation": "report",
        "category": "HCE",
        "title_vi": "Báo cáo tài khoản, video, bình luận trên TikTok",
        "title_en": "Reporting an account, video or comment on TikTok",
        "summary_vi": "Tài khoản: trang cá nhân → ⋯ hoặc mũi tên chia sẻ → Báo cáo. Video: nhấn giữ hoặc mũi tên chia sẻ → Báo cáo.",
        "summary_en": "Account: profile → ⋯ or share arrow → Report. Video: press and hold or share arrow → Report.",
        "body_vi": """Nhớ **chụp màn hình** và **sao chép link** trước khi báo cáo.

## Báo cáo tài khoản

1. Mở trang cá nhân của tài khoản.
2. Bấm **⋯** hoặc **mũi tên chia sẻ** ở góc trên.
3. Chọn **Báo cáo** → **Báo cáo tài khoản**, chọn lý do rồi **Gửi**.

## Báo cáo video

Nhấn giữ trên video, hoặc bấm **mũi tên chia sẻ** → **Báo cáo** → chọn lý do → **Gửi**.

## Báo cáo bình luận hoặc tin nhắn

**Nhấn giữ** bình luận/tin nhắn → **Báo cáo**.

## Trong phần Cài đặt

**Hồ sơ → ☰ → Cài đặt và quyền riêng tư → Báo cáo sự cố** để xem tình trạng các báo cáo đã gửi hoặc báo lỗi khác.

Người bị báo cáo **không biết** ai đã báo cáo họ. Tên các mục có thể đổi theo phiên bản; hãy tìm chữ **"Báo cáo"**.""",
    },
    {
        "slug": "bao-cao-zalo",
        "situation": "report",
        "category": "SCM",
        "title_vi": "Báo xấu và chặn một tài khoản trên Zalo",
        "title_en": 'Reporting ("báo xấu") and blocking an account on Zalo',
        "summary_vi": 'Mở cuộc trò chuyện hoặc trang cá nhân, vào menu tùy chọn, chọn "Báo xấu" và lý do.',
        "summary_en": 'Open the chat or profile, open its options menu, choose "Báo xấu" and a reason.',
        "body_vi": """Zalo gọi chức năng báo cáo là **"Báo xấu"**. Trước khi báo xấu hay chặn, **chụp màn hình** cuộc trò chuyện và ghi lại **tên, số điện thoại** của tài khoản.

## Báo xấu

1. Mở cuộc trò chuyện với người đó (hoặc trang cá nhân của họ).
2. Bấm biểu tượng **tùy chọn** (☰ hoặc ⋯) ở góc trên.
3. Chọn **"Báo xấu"**, chọn lý do (làm phiền, lừa đảo, nội dung nhạy cảm, giả mạo…) rồi gửi.

## Chặn

Trong cùng menu tùy chọn, chọn **Chặn** (chặn tin nhắn, cuộc gọi, nhật ký). Trong **Cài đặt → Quyền riêng tư**, bạn có thể tắt nhận tin nhắn từ người lạ.

## Nhóm Zalo

Nếu bị nói xấu hay đe dọa trong một nhóm, chụp màn hình tin nhắn kèm tên nhóm, rời nhóm nếu bạn muốn, và báo cho chúng mình hoặc thầy cô.

Tên các mục có thể thay đổi theo phiên bản Zalo.""",
    },
    {
        "slug": "bao-cao-instagram-youtube",
        "situation": "report",
        "category": "HCE",
        "title_vi": "Báo cáo trên Instagram và YouTube",
        "title_en": "Reporting on Instagram and YouTube",
        "summary_vi": 'Cả hai đều có mục "Báo cáo" trong dấu ba chấm (⋯) của tài khoản, bài đăng, video và bình luận.',
        "summary_en": 'Both have "Report" behind the three dots (⋯) of accounts, posts, videos and comments.',
        "body_vi": """Nhớ **chụp màn hình** và **sao chép link** trước khi báo cáo.

## Instagram

- **Tài khoản**: mở trang cá nhân → **⋯** ở góc trên → **Báo cáo** → chọn lý do.
- **Bài viết, reel**: bấm **⋯** trên bài → **Báo cáo**.
- **Tin nhắn**: mở cuộc trò chuyện, nhấn giữ tin nhắn → **Báo cáo**; hoặc bấm tên người đó → **Báo cáo / Chặn**.

## YouTube

- **Video**: bấm **⋯** (hoặc **Thêm**) dưới video → **Báo cáo** → chọn lý do.
- **Bình luận**: bấm **⋯** cạnh bình luận → **Báo cáo**.
- **Kênh**: mở trang kênh → phần giới thiệu → biểu tượng **lá cờ** hoặc **⋯** → **Báo cáo người dùng**.

Nếu video hoặc bài viết có **ảnh nhạy cảm của trẻ em**, đừng chia sẻ lại: báo cáo ngay và gửi **đường link** (không gửi ảnh) cho chúng mình.""",
    },
    {
        "slug": "bao-cao-roblox-free-fire",
        "situation": "report",
        "category": "GAM",
        "title_vi": "Báo cáo người chơi trong Roblox và Free Fire",
        "title_en": "Reporting a player in Roblox and Free Fire",
        "summary_vi": "Báo cáo ngay trong trận: Roblox có nút lá cờ trong Menu; Free Fire có biểu tượng báo cáo cạnh tên người chơi.",
        "summary_en": "Report in the game: Roblox has the flag in its Menu; Free Fire has a report icon beside the player.",
        "body_vi": """Trong game cũng có người chửi bới, dụ dỗ, lừa đồ hay xin ảnh riêng tư. Hãy báo cáo **ngay trong game**, vì quản trị viên xem được nội dung trò chuyện đã bị báo cáo.

## Roblox

1. Trong trò chơi, bấm nút **Menu** (ba gạch) ở góc trên bên trái.
2. Bấm **lá cờ** cạnh tên người chơi, hoặc thẻ **Báo cáo**.
3. Chọn người chơi, loại vi phạm, viết mô tả ngắn rồi **Gửi**.

Roblox khuyên báo cáo **đúng tin nhắn hoặc nội dung vi phạm**, không chỉ trang cá nhân. Bạn cũng có thể **chặn** người đó từ danh sách người chơi.

## Free Fire

- Trong hoặc sau trận, mở thông tin người chơi và bấm **biểu tượng báo cáo** (dấu chấm than), chọn lý do rồi **xác nhận**.
- Với lừa đảo, chiếm tài khoản: dùng mục **hỗ trợ / chăm sóc khách hàng** trong phần cài đặt của game.

## Quan trọng

- Không bao giờ gửi **mật khẩu, mã OTP** hay ảnh riêng tư để "được tặng kim cương, Robux".
- Người lớn lạ rủ bạn chuyển sang ứng dụng khác để "nói chuyện riêng" là dấu hiệu nguy hiểm: kể với bố mẹ hoặc chúng mình.""",
    },
    {
        "slug": "chia-se-anh-an-toan",
        "situation": "safe",
        "category": "PRV",
        "title_vi": 'Chia sẻ ảnh an toàn: trước khi bấm "Đăng"',
        "title_en": 'Sharing photos safely: before you press "Post"',
        "summary_vi": "Ảnh đã gửi đi thì không lấy lại được. Vài câu hỏi và cài đặt giúp bạn giữ an toàn.",
        "summary_en": "A photo once sent cannot be taken back. A few questions and settings keep you safe.",
        "body_vi": """## Hỏi mình trước khi đăng hoặc gửi

- Mình có ổn không nếu **cả trường** thấy ảnh này?
- Ảnh có lộ **trường, địa chỉ nhà, biển số xe**, đồng phục, vị trí không?
- Người khác trong ảnh **có đồng ý** không?

## Cài đặt nên bật

- Để tài khoản ở chế độ **riêng tư**; chỉ chấp nhận lời mời kết bạn từ người bạn biết ngoài đời.
- Tắt **chia sẻ vị trí** trong ảnh và trong ứng dụng.
- Kiểm tra ai xem được bài cũ của bạn.

## Ảnh riêng tư

**Không gửi ảnh khỏa thân** hay ảnh nhạy cảm cho ai, kể cả người yêu hay người nói "sẽ xóa ngay". Nếu ai đó ép hoặc dọa bạn, đó là việc sai trái của họ: đọc bài *Có người dọa tung ảnh của mình*.

## Ảnh của người khác

Không đăng, không chuyển tiếp ảnh khiến người khác xấu hổ. Đăng ảnh nhạy cảm của người dưới 18 tuổi là vi phạm pháp luật, kể cả khi chỉ "gửi cho vui".""",
    },
    {
        "slug": "khi-nao-goi-111-113",
        "situation": "safe",
        "category": "INF",
        "title_vi": "Khi nào gọi 111, 113 và 115?",
        "title_en": "When to call 111, 113 and 115",
        "summary_vi": "111: bảo vệ trẻ em, miễn phí. 113: công an, khi đang gặp nguy hiểm. 115: cấp cứu.",
        "summary_en": "111: child protection, free. 113: police, when in danger. 115: ambulance.",
        "body_vi": """## 111 — Tổng đài quốc gia bảo vệ trẻ em

Miễn phí. Gọi khi bạn hoặc một bạn nhỏ khác **bị xâm hại, bạo lực, bóc lột, bị dọa dẫm**, hoặc khi bạn **thấy rất buồn, tuyệt vọng, có ý nghĩ làm hại bản thân** và cần ai đó lắng nghe ngay.

## 113 — Công an

Gọi khi có **nguy hiểm ngay lúc này**: ai đó đang đe dọa đến gặp bạn, bạn bị giữ lại, bị ép đi đâu đó, hoặc cuộc gọi "bắt cóc online" bắt bạn rời nhà.

## 115 — Cấp cứu

Khi có người **bị thương, ngất, uống thuốc quá liều** hay cần cấp cứu y tế.

## Còn tổng đài của chúng mình?

Chúng mình giúp bạn với những chuyện xảy ra **trên mạng**: bị dọa tung ảnh, bắt nạt, lừa đảo, mất tài khoản. Bạn có thể gửi báo cáo bất cứ lúc nào; tư vấn viên sẽ trả lời trên trang hồ sơ của bạn. Nếu có nguy hiểm ngay, **đừng chờ**: gọi 113 hoặc 111 trước.""",
    },
    {
        "slug": "huong-dan-cho-cha-me",
        "situation": "parents",
        "audience": "parents",
        "category": "INF",
        "title_vi": "Dành cho cha mẹ: khi con gặp chuyện trên mạng",
        "title_en": "For parents: when your child runs into trouble online",
        "summary_vi": "Giữ bình tĩnh, không trách mắng, không tịch thu điện thoại ngay. Cùng con lưu bằng chứng và tìm trợ giúp.",
        "summary_en": "Stay calm, do not blame, do not confiscate the phone at once. Keep evidence together and get help.",
        "body_vi": """Khi con kể mình bị dọa tung ảnh, bị bắt nạt hay bị lừa, **phản ứng đầu tiên của cha mẹ** quyết định con có tiếp tục chia sẻ hay không.

## Nên

- **Cảm ơn con đã kể.** Nói rõ: "Đây không phải lỗi của con, bố mẹ sẽ cùng con giải quyết."
- **Giữ bình tĩnh**, lắng nghe hết câu chuyện trước khi hỏi.
- **Cùng con lưu bằng chứng**: chụp màn hình, ghi lại tên tài khoản, đường link, số tài khoản nhận tiền.
- **Báo cáo** tài khoản trên nền tảng, gửi báo cáo cho tổng đài, và báo **113** nếu có đe dọa, tống tiền hay nguy hiểm.

## Không nên

- **Trách mắng, đánh, hay tịch thu điện thoại** ngay: con sẽ giấu chuyện lần sau, và bằng chứng có thể mất.
- **Tự liên lạc, đe dọa hay trả tiền** cho kẻ xấu.
- **Chuyển tiếp ảnh nhạy cảm** của con cho người khác, kể cả để "làm bằng chứng": chỉ gửi đường link.

## Hằng ngày

- Nói chuyện thường xuyên về những gì con xem, chơi, và những người con nói chuyện trên mạng.
- Cùng con cài đặt **quyền riêng tư**, **xác thực hai lớp**, và thỏa thuận thời gian dùng máy.
- Nhắc con: công an thật không bao giờ gọi điện bắt con giữ bí mật với gia đình hay chuyển tiền.

Nếu con có dấu hiệu buồn bã kéo dài, sợ hãi, nói đến chuyện làm hại bản thân, gọi **111** để được tư vấn.""",
    },
]


def seed_library(Article, ArticleVersion, Category):
    """Create the starting articles (published) once, each with its first version."""
    from hotline.library import fold, render_markdown

    if Article.objects.exists():
        return
    codes = {category.code: category for category in Category.objects.filter(parent__isnull=True)}
    for order, entry in enumerate(ARTICLES):
        article = Article.objects.create(
            slug=entry["slug"],
            situation=entry["situation"],
            audience=entry.get("audience", "young"),
            category=codes.get(entry["category"]),
            title_vi=entry["title_vi"],
            title_en=entry["title_en"],
            summary_vi=entry["summary_vi"],
            summary_en=entry["summary_en"],
            body_vi=entry["body_vi"],
            html_vi=render_markdown(entry["body_vi"]),
            search_text=fold(
                " ".join(
                    [entry["title_vi"], entry["summary_vi"], entry["body_vi"], entry["title_en"], entry["summary_en"]]
                )
            ),
            state="published",
            sort_order=order,
        )
        content = dict(entry)
        content.update(
            {
                "audience": article.audience,
                "state": "published",
                "sort_order": order,
                "title_en": entry["title_en"],
                "body_en": "",
                "summary_en": entry["summary_en"],
            }
        )
        ArticleVersion.objects.create(article=article, number=1, content=content, note="seed")
