# ruff: noqa: E501 (article prose: one paragraph per line, as supervisors will edit it)
"""The articles the library starts with (Vietnamese, for 12–17-year-olds and their parents, each with an English
text: its own "body_en" or ENGLISH_BODIES).

Loaded once by migration hotline 0001; supervisors edit them in the app afterwards. The reporting steps of the
platform articles (Facebook, TikTok, Zalo, Instagram, YouTube, Roblox, Free Fire) were checked on CHECKED_ON
against each platform's own help pages where one could be found; each article lists its sources at the end and
says where a step could not be checked (docs/library-sources.md has the list). Migration hotline 0003 brings these
checked texts and the English texts to libraries seeded before, for the articles no supervisor has edited since.
"""

import datetime

CHECKED_ON = datetime.date(2026, 11, 29)
PLATFORM_SLUGS = [
    "bao-cao-facebook-messenger",
    "bao-cao-tiktok",
    "bao-cao-zalo",
    "bao-cao-instagram-youtube",
    "bao-cao-roblox-free-fire",
]


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
        "reviewed_on": CHECKED_ON,
        "title_vi": "Báo cáo tài khoản, bài viết, tin nhắn trên Facebook và Messenger",
        "title_en": "Reporting an account, post or message on Facebook and Messenger",
        "summary_vi": 'Bấm dấu ba chấm (⋯), chọn "Tìm hỗ trợ hoặc báo cáo", chọn điều đúng nhất rồi bấm Tiếp.',
        "summary_en": 'Click the three dots (⋯), choose "Find support or report", pick what fits best and click Next.',
        "body_vi": """Trước khi báo cáo hay chặn, **chụp màn hình** và **sao chép đường link** trang cá nhân hoặc bài viết.

## Báo cáo trang cá nhân

1. Mở trang cá nhân của tài khoản đó.
2. Bấm dấu **ba chấm (⋯)** ở bên phải, chọn **"Tìm hỗ trợ hoặc báo cáo trang cá nhân"**.
3. Chọn điều mô tả đúng nhất việc tài khoản đó làm sai (giả mạo, quấy rối, lừa đảo, ảnh khỏa thân…), rồi bấm **Tiếp**.
4. Tùy điều bạn chọn, Facebook có thể mời bạn **gửi báo cáo**. Bấm **Xong** để kết thúc.

Với một số loại nội dung, Facebook chỉ ghi nhận ý kiến của bạn mà không mở báo cáo. Nếu chuyện nghiêm trọng (đe dọa, tống tiền, ảnh nhạy cảm), hãy gửi đường link cho chúng mình.

## Báo cáo bài viết, ảnh, video, bình luận

- **Bài viết**: bấm **⋯** ở góc trên bên phải bài viết → **"Tìm hỗ trợ hoặc báo cáo bài viết"** → chọn điều đúng nhất → **Tiếp**.
- **Ảnh, video**: bấm vào ảnh hoặc video cho to ra → bấm **⋯** bên cạnh → **"Tìm hỗ trợ hoặc báo cáo ảnh"** (với video: **"Báo cáo video"**) → chọn điều đúng nhất.
- **Bình luận**: bấm **⋯** cạnh bình luận (trên điện thoại: nhấn giữ bình luận) rồi chọn mục báo cáo.

## Báo cáo tin nhắn

- Trên Facebook ở máy tính: mở tin nhắn → bấm biểu tượng tùy chọn của cuộc trò chuyện → **"Có gì đó không ổn"** → chọn điều đúng nhất.
- Trong ứng dụng Messenger: mở cuộc trò chuyện → bấm vào **tên người đó** ở trên cùng → tìm mục **Báo cáo** hoặc **Chặn**.

Bạn cũng có thể **hủy kết bạn** hoặc **chặn** người đang làm phiền mình. Khi xử lý báo cáo, Facebook không cho người bị báo cáo biết ai đã báo cáo.

## Nguồn đã đối chiếu (29/11/2026)

Trung tâm trợ giúp Facebook: [Cách báo cáo nội dung](https://www.facebook.com/help/1380418588640631) và [Báo cáo tin nhắn](https://www.facebook.com/help/769533159735923). Các bước với bình luận và trong ứng dụng Messenger chưa đối chiếu được với trang trợ giúp: **tên các mục có thể khác theo phiên bản**.""",
        "body_en": """Before you report or block, **take screenshots** and **copy the link** of the profile or post.

## Reporting a profile

1. Go to the profile.
2. Click the **three dots (⋯)** on the right and choose **"Find support or report profile"**.
3. Pick what best describes how the profile breaks the rules (fake, harassment, scam, nudity…), then click **Next**.
4. Depending on your choice, Facebook may let you **submit a report**. Click **Done** to finish.

For some kinds of content Facebook only records your feedback and opens no report. If it is serious (threats, sextortion, intimate images), send us the link.

## Reporting a post, photo, video or comment

- **Post**: click **⋯** at the top right of the post → **"Find support or report post"** → pick what fits best → **Next**.
- **Photo or video**: open it full size → click **⋯** beside it → **"Find support or report photo"** (for a video: **"Report video"**).
- **Comment**: click **⋯** beside the comment (on a phone: press and hold it) and choose the report option.

## Reporting a message

- On Facebook on a computer: open the message → click the conversation's options → **"Something's wrong"** → pick what fits best.
- In the Messenger app: open the conversation → tap the **person's name** at the top → look for **Report** or **Block**.

You can also **unfriend** or **block** someone who bothers you. Facebook does not tell the reported person who reported them.

## Sources checked (29 Nov 2026)

Facebook Help Centre: [How to report things](https://www.facebook.com/help/1380418588640631) and [Report a message](https://www.facebook.com/help/769533159735923). The steps for comments and in the Messenger app could not be checked against a help page: **menu names may differ by version**.""",
    },
    {
        "slug": "bao-cao-tiktok",
        "situation": "report",
        "category": "HCE",
        "reviewed_on": CHECKED_ON,
        "title_vi": "Báo cáo tài khoản, video, bình luận trên TikTok",
        "title_en": "Reporting an account, video or comment on TikTok",
        "summary_vi": "Video: nhấn giữ video hoặc nút Chia sẻ → Báo cáo. Tài khoản: hồ sơ → nút Chia sẻ ở trên cùng → Báo cáo.",
        "summary_en": "Video: press and hold it or tap Share → Report. Account: profile → Share at the top → Report.",
        "body_vi": """Nhớ **chụp màn hình** và **sao chép link** trước khi báo cáo.

## Báo cáo video

1. Mở video, **nhấn và giữ** trên video, hoặc nhấn nút **Chia sẻ** bên cạnh video.
2. Nhấn **Báo cáo** và chọn lý do. Nếu được hỏi thêm chủ đề phụ, chọn chủ đề đúng nhất.
3. Nhấn **Gửi**.

Trên trình duyệt web: đưa chuột lên nút **Tùy chọn khác** ở trên cùng video → **Báo cáo** → chọn lý do và tình huống phù hợp → **Gửi**.

## Báo cáo tài khoản

1. Mở **hồ sơ** của người đó.
2. Nhấn nút **Chia sẻ** ở trên cùng (trên trình duyệt web: nút **Tùy chọn khác …**).
3. Chọn **Báo cáo** → **Báo cáo tài khoản**, chọn lý do rồi nhấn **Gửi**.

## Báo cáo bình luận hoặc tin nhắn

**Nhấn giữ** bình luận hoặc tin nhắn rồi chọn **Báo cáo**. Bước này chưa đối chiếu được với trang trợ giúp của TikTok: **tên các mục có thể khác theo phiên bản**.

## Nguồn đã đối chiếu (29/11/2026)

Trung tâm trợ giúp TikTok (tiếng Việt): [Báo cáo video](https://support.tiktok.com/vi/safety-hc/report-a-problem/report-a-video) và [Báo cáo các tài khoản chưa đủ tuổi](https://support.tiktok.com/vi/safety-hc/report-a-problem/report-underage-accounts-on-tiktok) (các bước báo cáo một tài khoản).""",
        "body_en": """Remember to **take screenshots** and **copy the link** before you report.

## Reporting a video

1. Open the video and **press and hold** it, or tap the **Share** button beside it.
2. Tap **Report** and choose a reason. If asked for a sub-topic, choose the one that fits best.
3. Tap **Submit**.

In a web browser: hover over **More options** at the top of the video → **Report** → choose the reason and situation → **Submit**.

## Reporting an account

1. Open the person's **profile**.
2. Tap the **Share** button at the top (in a web browser: **More options …**).
3. Choose **Report** → **Report account**, choose a reason and tap **Submit**.

## Reporting a comment or a message

**Press and hold** the comment or message and choose **Report**. This step could not be checked against TikTok's help pages: **menu names may differ by version**.

## Sources checked (29 Nov 2026)

TikTok Help Centre (Vietnamese): [Report a video](https://support.tiktok.com/vi/safety-hc/report-a-problem/report-a-video) and [Report underage accounts](https://support.tiktok.com/vi/safety-hc/report-a-problem/report-underage-accounts-on-tiktok) (its steps for reporting an account).""",
    },
    {
        "slug": "bao-cao-zalo",
        "situation": "report",
        "category": "SCM",
        "reviewed_on": CHECKED_ON,
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

## Về các bước trên

Chúng mình **chưa tìm được trang trợ giúp chính thức của Zalo** mô tả các bước này (đã tìm ngày 29/11/2026); chúng được tổng hợp từ các hướng dẫn tiếng Việt phổ biến. **Tên các mục có thể khác theo phiên bản**: hãy tìm chữ **"Báo xấu"** trong menu tùy chọn của cuộc trò chuyện hoặc trang cá nhân.""",
        "body_en": """Zalo calls its report feature **"Báo xấu"**. Before you report or block, **take screenshots** of the chat and note the account's **name and phone number**.

## Reporting

1. Open the chat with the person (or their profile).
2. Tap the **options** icon (☰ or ⋯) at the top.
3. Choose **"Báo xấu"**, pick a reason (harassment, scam, sensitive content, impersonation…) and send.

## Blocking

In the same options menu choose **Chặn** (block messages, calls, their timeline). In **Settings → Privacy** you can stop messages from strangers.

## Zalo groups

If you are mocked or threatened in a group, take screenshots with the group's name, leave it if you want, and tell us or a teacher.

## About these steps

We **could not find an official Zalo help page** describing these steps (searched on 29 Nov 2026); they come from widely used Vietnamese guides. **Menu names may differ by version**: look for "Báo xấu" in the options menu of the chat or profile.""",
    },
    {
        "slug": "bao-cao-instagram-youtube",
        "situation": "report",
        "category": "HCE",
        "reviewed_on": CHECKED_ON,
        "title_vi": "Báo cáo trên Instagram và YouTube",
        "title_en": "Reporting on Instagram and YouTube",
        "summary_vi": "Instagram: dấu ba chấm (⋯) → Báo cáo. YouTube: biểu tượng Cài đặt ở phía trên video → Báo vi phạm.",
        "summary_en": "Instagram: the three dots (⋯) → Report. YouTube: the Settings icon at the top of the video → Report.",
        "body_vi": """Nhớ **chụp màn hình** và **sao chép link** trước khi báo cáo.

## Instagram

Trên trình duyệt web (máy tính):

- **Tài khoản**: mở trang cá nhân → bấm **⋯** cạnh tên người dùng → **Báo cáo người dùng** → chọn loại tài khoản muốn báo cáo và làm theo hướng dẫn trên màn hình.
- **Bài viết**: bấm **⋯** của bài viết → **Báo cáo nội dung không phù hợp** → làm theo hướng dẫn trên màn hình.

Trong ứng dụng: bấm **⋯** phía trên bài viết, hoặc ở góc trên bên phải trang cá nhân → **Báo cáo** → làm theo hướng dẫn. Các bước trong ứng dụng chưa đối chiếu được với trang trợ giúp của Instagram: **tên các mục có thể khác theo phiên bản**.

## YouTube

**Báo cáo video** (ứng dụng YouTube):

1. Mở video muốn báo cáo.
2. Ở phía trên video, nhấn biểu tượng **Cài đặt** (⚙) rồi chọn **Báo vi phạm**.
3. Chọn lý do đúng nhất với nội dung vi phạm trong video.
4. Nhấn **BÁO VI PHẠM**.

Người báo cáo được **ẩn danh**: người khác không biết ai đã báo cáo. Trên máy tính, trang **Nhật ký báo cáo** cho biết video bạn báo cáo đã bị gỡ hay chưa.

**Kênh**: nếu một người đăng nhiều video hoặc bình luận nhắm vào bạn, hãy **báo cáo kênh** của họ: bạn chỉ ra được nhiều video, bình luận một lúc và kể thêm chi tiết. **Bình luận**: tìm mục **Báo vi phạm** trong menu **⋯** cạnh bình luận. Vị trí các nút với kênh và bình luận chưa đối chiếu được từng bước: **tên các mục có thể khác theo phiên bản**.

Nếu video hoặc bài viết có **ảnh nhạy cảm của trẻ em**, đừng chia sẻ lại: báo cáo ngay và gửi **đường link** (không gửi ảnh) cho chúng mình.

## Nguồn đã đối chiếu (29/11/2026)

- Trung tâm trợ giúp Instagram: [Báo cáo nội dung không phù hợp khi dùng Instagram trên web](https://help.instagram.com/519598734752872).
- Trợ giúp YouTube (tiếng Việt): [Báo cáo video, kênh và những nội dung không phù hợp khác](https://support.google.com/youtube/answer/2802027?hl=vi) và [Các lựa chọn khác để báo vi phạm](https://support.google.com/youtube/answer/2802057?hl=vi).""",
        "body_en": """Remember to **take screenshots** and **copy the link** before you report.

## Instagram

In a web browser (computer):

- **Account**: go to the profile → click **⋯** next to the username → **Report user** → choose the kind of account and follow the instructions on screen.
- **Post**: click **⋯** on the post → **Report inappropriate** → follow the instructions on screen.

In the app: tap **⋯** above the post, or at the top right of the profile → **Report** → follow the instructions. The app steps could not be checked against Instagram's help pages: **menu names may differ by version**.

## YouTube

**Reporting a video** (YouTube app):

1. Open the video.
2. At the top of the video, tap the **Settings** icon (⚙) and choose **Report**.
3. Choose the reason that best fits what is wrong in the video.
4. Tap **REPORT**.

Reporting is **anonymous**: nobody can see who reported. On a computer, the **Report history** page shows whether a video you reported was removed.

**Channel**: if someone posts several videos or comments aimed at you, **report their channel**: you can point to several videos and comments at once and add details. **Comment**: look for **Report** in the **⋯** menu beside it. Where these buttons sit for channels and comments could not be checked step by step: **menu names may differ by version**.

If a video or post shows **sexual images of a child**, do not share it: report it and send us the **link** (never the image).

## Sources checked (29 Nov 2026)

- Instagram Help Centre: [How do I report something inappropriate when using Instagram on the web?](https://help.instagram.com/519598734752872)
- YouTube Help (Vietnamese): [Report inappropriate videos, channels and other content](https://support.google.com/youtube/answer/2802027?hl=vi) and [Other reporting options](https://support.google.com/youtube/answer/2802057?hl=vi).""",
    },
    {
        "slug": "bao-cao-roblox-free-fire",
        "situation": "report",
        "category": "GAM",
        "reviewed_on": CHECKED_ON,
        "title_vi": "Báo cáo người chơi trong Roblox và Free Fire",
        "title_en": "Reporting a player in Roblox and Free Fire",
        "summary_vi": "Báo cáo ngay trong game: Roblox có nút lá cờ trong Menu; Free Fire có chức năng báo cáo trong trận.",
        "summary_en": "Report inside the game: Roblox has the flag in its Menu; Free Fire has an in-game report function.",
        "body_vi": """Trong game cũng có người chửi bới, dụ dỗ, lừa đồ hay xin ảnh riêng tư. Hãy báo cáo **ngay trong game**.

## Roblox

1. Trong trò chơi, bấm nút **Menu** (ba gạch) ở góc trên bên trái.
2. Bấm **lá cờ** cạnh tên người chơi, hoặc thẻ **Báo cáo** (Report) ở trên cùng menu.
3. Chọn người chơi, chọn loại vi phạm, viết mô tả ngắn rồi bấm **Gửi** (Submit).

Roblox nhấn mạnh: hãy báo cáo **đúng tin nhắn trò chuyện hoặc nội dung vi phạm**. Nếu chỉ báo cáo trang cá nhân, quản trị viên không biết người đó đã làm gì sai. Người chơi đã thoát khỏi game vẫn báo cáo được: ghi tên họ vào phần mô tả.

**Chặn** trong game: mở danh sách người chơi ở góc trên bên phải, bấm vào tên người đó → **Chặn** (Block User). Trên trang web: mở trang cá nhân của họ, bấm **⋯** → **Chặn**.

## Free Fire

Garena đề nghị dùng **chức năng báo cáo trong game**. Theo hướng dẫn Garena đăng trên trang mạng xã hội của Free Fire (báo chí thuật lại), sau khi bị hạ bạn có thể bấm **biểu tượng báo cáo màu đỏ có dấu chấm than**, chọn lý do rồi bấm **Xác nhận**. Với lừa đảo hoặc mất tài khoản: dùng mục **hỗ trợ / chăm sóc khách hàng** chính thức của game. Các bước Free Fire chưa đối chiếu được trên trang trợ giúp của Garena: **tên các mục có thể khác theo phiên bản**.

## Quan trọng

- Không bao giờ gửi **mật khẩu, mã OTP** hay ảnh riêng tư để "được tặng kim cương, Robux".
- Người lớn lạ rủ bạn chuyển sang ứng dụng khác để "nói chuyện riêng" là dấu hiệu nguy hiểm: kể với bố mẹ hoặc chúng mình.

## Nguồn đã đối chiếu (29/11/2026)

- Trợ giúp Roblox: [Reporting Abuse and Blocking Chat In-Game](https://en.help.roblox.com/hc/en-us/articles/203314270) và [How to Report Rule Violations and Block a User](https://en.help.roblox.com/hc/en-us/articles/203312410).
- Garena Free Fire: trang [An ninh trò chơi](https://ff.garena.com/others/game_security/) đề nghị dùng chức năng báo cáo trong game (không mô tả từng bước).""",
        "body_en": """Games have people who insult, groom, steal items or ask for private photos too. Report them **inside the game**.

## Roblox

1. In the experience, click the **Menu** button (three lines) at the top left.
2. Click the **flag** next to the player's name, or the **Report** tab at the top of the menu.
3. Choose the player and the type of abuse, write a short description and click **Submit**.

Roblox insists: report **the chat message or content that breaks the rules**. A report of the profile alone does not show moderators what the person did. You can still report a player who has left: put their username in the description.

**Blocking** in a game: open the player list at the top right, click the person's name → **Block User**. On the website: open their profile, click **⋯** → **Block**.

## Free Fire

Garena asks players to use the **in-game report function**. According to a guide Garena posted on Free Fire's social media (as reported by the press), after you are knocked out you can tap the **red report icon with an exclamation mark**, choose a reason and tap **Confirm**. For scams or a lost account, use the game's official **customer support**. The Free Fire steps could not be checked on a Garena help page: **menu names may differ by version**.

## Important

- Never send a **password, an OTP code** or private photos to "get free diamonds or Robux".
- An adult stranger asking you to move to another app to "talk privately" is a danger sign: tell your parents or us.

## Sources checked (29 Nov 2026)

- Roblox Support: [Reporting Abuse and Blocking Chat In-Game](https://en.help.roblox.com/hc/en-us/articles/203314270) and [How to Report Rule Violations and Block a User](https://en.help.roblox.com/hc/en-us/articles/203312410).
- Garena Free Fire: the [Game security](https://ff.garena.com/others/game_security/) page asks players to use the in-game report function (it does not describe the steps).""",
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


ENGLISH_BODIES = {
    "bi-de-doa-tung-anh": """If someone threatens to post your private photos or videos to get money, more pictures or to make you do something, remember: **this is not your fault**, and you do not have to face it alone. People who do this do it to many others, so there are ways to deal with it.

## Right now

1. **Do not pay and do not send more pictures.** Paying almost never makes them stop; they usually ask for more.
2. **Stop replying.** You do not need to explain or plead. You can block them *after* keeping evidence.
3. **Do not delete anything.** Take screenshots of the chat, the account name, the link to their profile, and any bank account or wallet they gave.
4. **Tell an adult you trust** (a parent, an older sibling, a teacher) or message us. We will not blame you.
5. **Report the account** in the app (see the "Report an account" articles in the library).
6. **Send us the link, never the intimate image.** We will ask for it to be taken down and tell the police when needed.

## If the picture was already posted

Report each post on the platform, choosing "nudity / sexual content" or "sharing private images". Read *Getting intimate images taken down* too.

## When it feels too much

If you feel panicked, hopeless or think about hurting yourself, call **111** now (the national child protection line, free) or **113** if you are in danger.""",
    "go-anh-nhay-cam-khoi-mang": """When a private photo or video of you has been posted (or you fear it will be), two free tools can help.

## How they work

The tool makes a **hash** — like a fingerprint of the picture — **on your own phone or computer**. The picture is **not** uploaded and nobody sees it. Only the hash is sent. Participating platforms (for example Facebook and Instagram) use it to find and block copies of the picture.

- **Take It Down** (takeitdown.ncmec.org): for pictures or videos taken **when you were under 18**. You can use it anonymously; a parent can do it for you.
- **StopNCII** (stopncii.org): for pictures taken when you **were 18 or older**.

## Good to know

- The tools only find **identical copies**; a cropped or edited picture may slip through. Still report each post.
- Only participating platforms use the hashes; elsewhere, report directly and send us the link.
- **Do not send intimate pictures to anyone**, not even to us: the link is enough.""",
    "bi-bat-nat-tren-mang": """Being teased, insulted, the target of rumours, shut out by a group or the subject of edited pictures is **bullying**, even when it happens online. You do not deserve to be treated like that.

## What to do

1. **Do not hit back** with angry words: bullies often want a reaction.
2. **Keep evidence**: screenshots of messages, comments and posts, with the date, time and account names.
3. **Block** the person and **report** the post or account on the platform.
4. **Tell an adult** you trust: a parent, your form teacher, the Youth Union or Pioneers leader at school.
5. If there is a **fight video, an edited picture** or a threat, send us the link so that we can ask for it to be removed.

## If you see someone else being bullied

Do not share or add comments. Message them privately to ask how they are, report the post and tell a teacher.

## Look after yourself

Taking a break from social media is fine. If you feel sad for a long time or think about hurting yourself, call **111** now.""",
    "lay-lai-tai-khoan-bi-hack": """Someone took over your Facebook, Zalo, TikTok or game account? Do this, in this order.

## 1. Warn your friends and family

Account thieves often message your contacts to **borrow money, ask for OTP codes or send strange links**. Use another phone or account to tell everyone: "My account was hacked, do not send money or codes."

## 2. Recover the account

- In the app's login screen choose **"Forgot password"** or the help section for **hacked or compromised accounts**, and follow the steps with the email or phone number you registered.
- For a game account, use the game's official **customer support** or the publisher's site. **Never** pay an online "account recovery service": most are scams.

## 3. Once you are back in

- Set a new, long password that you use nowhere else.
- Turn on **two-step verification** (2FA).
- Check the **devices logged in** and log out the ones you do not know; check the recovery email and phone number.

## Never

Give an **OTP code** to anyone, even someone who says they are staff, a friend or a relative.

If the thief uses your account to scam others or to threaten you, send us the account's link.""",
    "lua-dao-bat-coc-online": """Scammers call or video-call you **pretending to be police or prosecutors**, saying you are "involved in a case" or "money laundering". They tell you to **keep it secret**, to **rent a room alone and cut contact with your family**, then tell your parents you "have been kidnapped" to get money.

## Remember

- Real police **do not work over the phone or Zalo** to make you keep secrets from your family, rent a room or send money.
- Nobody "investigates" by making you switch your phone off to your parents.

## If you are on such a call

1. **Hang up.** Hanging up is not breaking any law.
2. **Call your parents** or an adult you trust straight away.
3. If you already left home or are alone because they told you to, call **113**.
4. Do not install apps, tap links or send photos of documents they ask for.

## If parents are told their child "has been kidnapped"

Stay calm, **do not send money**, call your child directly and their friends and teachers, and call **113**.""",
    "lua-dao-nap-game-viec-nhe": """## Common signs

- **Diamonds, skins or game accounts** unusually cheap; pay by bank transfer first, outside the official shop.
- **"Easy job, high pay"**: liking posts, "tasks", fake orders… a little money at first, then "top up more to withdraw".
- **Prizes and gifts** that need a fee or an OTP code.
- A friend's account asking to **borrow money urgently** (it may have been hacked).

## If you already sent money

1. **Stop, do not send more**, even if they promise to pay it back.
2. Keep evidence: messages, account names, **the receiving bank account**, transfer receipts.
3. Tell your **parents** at once and call the **bank** (the number on the card or in the app) to ask for help.
4. Report the scam account on the platform and send us the details; we can pass them to the police.

Being scammed does not mean you are foolish: scammers do this every day. Speaking up early helps you and others.""",
    "chia-se-anh-an-toan": """## Ask yourself before posting or sending

- Would I be fine if **my whole school** saw this picture?
- Does it show my **school, home address, a number plate**, a uniform or where I am?
- Did the **other people in the picture agree**?

## Settings to turn on

- Keep your account **private**; accept friend requests only from people you know offline.
- Turn off **location sharing** in pictures and in the app.
- Check who can see your old posts.

## Private pictures

**Do not send nude** or intimate pictures to anyone, even a boyfriend or girlfriend or someone who says they "will delete it at once". If someone pressures or threatens you, they are the ones doing wrong: read *Someone threatens to share my photos*.

## Other people's pictures

Do not post or forward pictures that embarrass someone. Posting intimate pictures of someone under 18 is against the law, even "just for fun".""",
    "khi-nao-goi-111-113": """## 111 — the national child protection line

Free. Call when you or another young person is **abused, hurt, exploited or threatened**, or when you **feel very sad, hopeless or think about hurting yourself** and need someone to listen now.

## 113 — police

Call when there is **danger right now**: someone threatens to come and find you, you are being held, forced to go somewhere, or an "online kidnapping" call tells you to leave home.

## 115 — ambulance

When someone is **injured, has fainted, took too many pills** or needs emergency medical help.

## And this hotline?

We help with what happens **online**: threats to share your photos, bullying, scams, lost accounts. You can send a report at any time; a counsellor answers on your case page. If there is danger now, **do not wait**: call 113 or 111 first.""",
    "huong-dan-cho-cha-me": """When your child tells you they are being threatened with their photos, bullied or scammed, **your first reaction** decides whether they keep talking to you.

## Do

- **Thank them for telling you.** Say clearly: "This is not your fault; we will deal with it together."
- **Stay calm** and hear the whole story before asking questions.
- **Keep evidence together**: screenshots, account names, links, the bank account that received money.
- **Report** the account on the platform, send a report to the hotline, and call **113** if there are threats, extortion or danger.

## Do not

- **Scold, hit or take the phone away** at once: next time your child will hide it, and evidence may be lost.
- **Contact, threaten or pay** the person yourself.
- **Forward intimate pictures** of your child to anyone, even "as evidence": send only the link.

## Every day

- Talk often about what your child watches and plays and who they talk to online.
- Set up **privacy settings**, **two-step verification** and agreed screen time together.
- Remind them: real police never call to make them keep secrets from the family or send money.

If your child seems sad for a long time, frightened, or talks about hurting themselves, call **111** for advice.""",
}
for _entry in ARTICLES:
    _entry.setdefault("body_en", ENGLISH_BODIES.get(_entry["slug"], ""))


def _search_text(entry):
    from hotline.library import fold

    return fold(
        " ".join(
            entry.get(name, "") for name in ("title_vi", "summary_vi", "body_vi", "title_en", "summary_en", "body_en")
        )
    )


def seed_library(Article, ArticleVersion, Category):
    """Create the starting articles (published) once, each with its first version."""
    from hotline.library import render_markdown

    if Article.objects.exists():
        return
    codes = {category.code: category for category in Category.objects.filter(parent__isnull=True)}
    for order, entry in enumerate(ARTICLES):
        body_en = entry.get("body_en", "")
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
            body_en=body_en,
            html_vi=render_markdown(entry["body_vi"]),
            html_en=render_markdown(body_en) if body_en else "",
            search_text=_search_text(entry),
            state="published",
            sort_order=order,
            reviewed_on=entry.get("reviewed_on"),
        )
        content = {name: value for name, value in entry.items() if name != "reviewed_on"}
        content.update({"audience": article.audience, "state": "published", "sort_order": order, "body_en": body_en})
        ArticleVersion.objects.create(article=article, number=1, content=content, note="seed")


def apply_checked_platform_steps(Article, ArticleVersion):
    """Bring the checked platform texts and the English texts to a library seeded before they existed: only to
    articles that still hold their seeded text (one version, "seed"), so that nothing a supervisor wrote is
    overwritten."""
    from hotline.library import render_markdown

    entries = {entry["slug"]: entry for entry in ARTICLES}
    for article in Article.objects.filter(slug__in=entries):
        entry = entries[article.slug]
        versions = list(ArticleVersion.objects.filter(article=article).order_by("number"))
        untouched = len(versions) == 1 and versions[0].note == "seed"
        if not untouched or (article.body_vi == entry["body_vi"] and article.body_en == entry["body_en"]):
            continue
        for name in ("title_vi", "title_en", "summary_vi", "summary_en", "body_vi", "body_en"):
            setattr(article, name, entry[name])
        article.html_vi = render_markdown(article.body_vi)
        article.html_en = render_markdown(article.body_en)
        article.search_text = _search_text(entry)
        article.reviewed_on = entry.get("reviewed_on", article.reviewed_on)
        article.save()
        content = dict(versions[0].content)
        content.update({name: entry[name] for name in ("title_vi", "title_en", "summary_vi", "summary_en",
                                                         "body_vi", "body_en")})  # fmt: skip
        ArticleVersion.objects.create(
            article=article,
            number=2,
            content=content,
            note="checked against the platform's help pages" if article.slug in PLATFORM_SLUGS else "English text",
        )
