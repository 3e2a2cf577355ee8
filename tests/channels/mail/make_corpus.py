#!/usr/bin/python3
"""make_corpus.py - writes the mail corpus (corpus/*.eml): messages shaped like what real
mailers send (headers, MIME structure, charsets and their mislabels), with the bytes made here
so the file is exact. The expected parse of each is corpus/NAME.json, checked by
test_mail_corpus.sh; after changing a message here, regenerate its .json with
`sundesk-mailgate --dry-run < NAME.eml > NAME.json` and read the difference before committing.
"""
import base64
import os
import quopri
import sys

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def b64(text, codec):
    data = text.encode(codec) if isinstance(text, str) else text
    s = base64.b64encode(data).decode()
    return "\r\n".join(s[i:i + 76] for i in range(0, len(s), 76))


def qp(text, codec):
    return quopri.encodestring(text.encode(codec)).decode().replace("\n", "\r\n")


def word(text, codec, label=None):
    return "=?%s?B?%s?=" % (label or codec, base64.b64encode(text.encode(codec)).decode())


def write(name, parts):
    """parts: str (CRLF line ends added) and bytes (kept), joined."""
    out = b""
    for p in parts:
        out += p.replace("\r\n", "\n").replace("\n", "\r\n").encode("ascii") if isinstance(p, str) else p
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(out)


# 1. Outlook 2016, Chinese: labelled gb2312, with GBK-only characters (镕 and the en dash, A8 43).
subject = "打印机故障 – 王镕的办公室"
body = "你好，\n\n三楼的打印机无法打印，显示“卡纸”–但是里面没有纸。\n请尽快处理。\n\n王镕\n财务部 分机 8021\n"
html = ("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><head><meta http-equiv=Content-Type "
        "content=\"text/html; charset=gb2312\"><style><!-- p.MsoNormal {margin:0cm;} --></style></head>"
        "<body lang=ZH-CN><div class=WordSection1><p class=MsoNormal>你好，<o:p></o:p></p>"
        "<p class=MsoNormal>三楼的打印机无法打印–但是里面没有纸。<o:p></o:p></p></div></body></html>")
write("outlook_gb2312_gbk", [
    "Received: from CN-EX01.corp.example.cn (10.1.2.3) by CN-EX02.corp.example.cn\n"
    " (10.1.2.4) with Microsoft SMTP Server id 15.1.2507.6; Mon, 2 Sep 2024 09:15:02 +0800\n"
    "From: %s <wang.rong@Corp.Example.CN>\n" % word("王镕", "gbk", "gb2312"),
    "To: IT Support <support@desk.example.com>\n"
    "CC: \"Li, Na\" <li.na@corp.example.cn>\n"
    "Subject: %s\n" % word(subject, "gbk", "gb2312"),
    "Thread-Topic: %s\n" % word(subject, "gbk", "gb2312"),
    "Thread-Index: AdsA1b2c3d4e5f6g7h8i9j0k==\n"
    "Date: Mon, 2 Sep 2024 01:15:01 +0000\n"
    "Message-ID: <5F2A9C1B4E7D4C3A8B6E1F0A9D8C7B6A@CN-EX01.corp.example.cn>\n"
    "Accept-Language: zh-CN, en-US\n"
    "Content-Language: zh-CN\n"
    "X-MS-Has-Attach: \nX-MS-TNEF-Correlator: \n"
    "X-Mailer: Microsoft Outlook 16.0\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/alternative;\n\tboundary=\"_000_5F2A9C1B4E7D4C3A_\"\n\n"
    "--_000_5F2A9C1B4E7D4C3A_\n"
    "Content-Type: text/plain; charset=\"gb2312\"\n"
    "Content-Transfer-Encoding: base64\n\n%s\n\n" % b64(body, "gbk"),
    "--_000_5F2A9C1B4E7D4C3A_\n"
    "Content-Type: text/html; charset=\"gb2312\"\n"
    "Content-Transfer-Encoding: base64\n\n%s\n\n" % b64(html, "gbk"),
    "--_000_5F2A9C1B4E7D4C3A_--\n"])

# 2. A plain gb2312-labelled message sent 8bit, GBK-only bytes in body and a raw 8-bit subject.
write("gb2312_8bit_raw_header", [
    "From: zhao@example.cn\nTo: support@desk.example.com\nSubject: ",
    "网络中断 – 镕".encode("gbk"),
    "\nDate: Tue, 3 Sep 2024 10:00:00 +0800\nMessage-ID: <20240903100000.1234@example.cn>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=gb2312\nContent-Transfer-Encoding: 8bit\n\n",
    "办公室网络从早上开始中断 – 请查看。\n".encode("gbk")])

# 3. Foxmail reply to a desk notice: In-Reply-To and References carry the ticket id.
fox = "好的，已经重启了，还是不行。\n\n\n\n------------------ 原始邮件 ------------------\n发件人: \"IT服务台\"<support@desk.example.com>;\n发送时间: 2024年9月2日(星期一) 上午9:30\n主题: [APAC-000042] 打印机故障\n\n> 您的请求已受理，我们将在 4 小时内回复。\n"
write("foxmail_reply", [
    "Return-Path: <wang.rong@corp.example.cn>\n"
    "From: \"%s\" <wang.rong@corp.example.cn>\n" % word("王镕", "gb18030", "gb18030"),
    "To: \"%s\" <support@desk.example.com>\n" % word("IT服务台", "gb18030", "gb18030"),
    "Subject: %s\n" % word("回复：[APAC-000042] 打印机故障", "gb18030", "gb18030"),
    "Mime-Version: 1.0\n"
    "Content-Type: multipart/alternative;\n\tboundary=\"----=_NextPart_66D51B2C_0A1B2C3D_4E5F6A7B\"\n"
    "Content-Transfer-Encoding: 8Bit\n"
    "Date: Mon, 2 Sep 2024 10:02:20 +0800\n"
    "X-Priority: 3\n"
    "Message-ID: <tencent_ABCDEF0123456789@qq.com>\n"
    "X-QQ-MIME: TCMime 1.0 by Tencent\n"
    "X-Mailer: Foxmail 7.2.25.228[cn]\n"
    "X-QQ-Mailer: Foxmail\n"
    "In-Reply-To: <sundesk.APAC-000042.7f3a09c2@desk.example.com>\n"
    "References: <5F2A9C1B4E7D4C3A8B6E1F0A9D8C7B6A@CN-EX01.corp.example.cn>\n"
    "\t<sundesk.APAC-000042.7f3a09c2@desk.example.com>\n\n"
    "This is a multi-part message in MIME format.\n\n"
    "------=_NextPart_66D51B2C_0A1B2C3D_4E5F6A7B\n"
    "Content-Type: text/plain;\n\tcharset=\"gb18030\"\n"
    "Content-Transfer-Encoding: base64\n\n%s\n\n" % b64(fox, "gb18030"),
    "------=_NextPart_66D51B2C_0A1B2C3D_4E5F6A7B\n"
    "Content-Type: text/html;\n\tcharset=\"gb18030\"\n"
    "Content-Transfer-Encoding: base64\n\n%s\n\n" % b64("<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB18030\"><div>好的，已经重启了，还是不行。</div>", "gb18030"),
    "------=_NextPart_66D51B2C_0A1B2C3D_4E5F6A7B--\n"])

# 4. QQ Mail, HTML only (its web client's plain part is sometimes missing), gb18030 label.
qq = ("<div>老师您好：</div><div><br></div><div>VPN 连接不上，提示&ldquo;错误 809&rdquo;。"
      "</div><div>我的电脑型号是&nbsp;ThinkPad&nbsp;X1。</div><div><br></div>"
      "<div style=\"color:#909090;font-family:Arial Narrow;font-size:12px\">------------------</div>"
      "<div style=\"font-size:14px;font-family:Verdana;color:#000;\"><div>小李</div></div>")
write("qqmail_html_only", [
    "From: \"%s\" <1234567890@QQ.com>\n" % word("小李", "gb18030", "gb18030"),
    "To: \"support\" <support@desk.example.com>\n"
    "Subject: %s\n" % word("VPN无法连接", "gb18030", "gb18030"),
    "Mime-Version: 1.0\n"
    "Content-Type: text/html;\n\tcharset=\"gb18030\"\n"
    "Content-Transfer-Encoding: base64\n"
    "Date: Wed, 4 Sep 2024 08:12:45 +0800\n"
    "X-Priority: 3\n"
    "Message-ID: <tencent_1122334455667788@qq.com>\n"
    "X-QQ-MIME: TCMime 1.0 by Tencent\n"
    "X-Mailer: QQMail 2.x\n"
    "X-QQ-Mailer: QQMail 2.x\n"
    "X-QQ-mid: xmsezb1-0t1725408765tabcdefgh\n\n%s\n" % b64(qq, "gb18030")])

# 5. iPhone Mail, UTF-8 quoted-printable, a photo attached.
iphone = "屏幕碎了，见照片。\n\n发自我的iPhone"
jpeg = bytes([0xFF, 0xD8, 0xFF, 0xE0]) + bytes(range(256)) * 4 + bytes([0xFF, 0xD9])
write("iphone_photo", [
    "Content-Type: multipart/mixed; boundary=Apple-Mail-1A2B3C4D-5E6F\n"
    "Content-Transfer-Encoding: 7bit\n"
    "From: =?utf-8?B?5byg5LyfIA==?= <zhang.wei@icloud.com>\n"
    "Mime-Version: 1.0 (1.0)\n"
    "Date: Thu, 5 Sep 2024 14:03:11 +0800\n"
    "Subject: =?utf-8?B?5omL5py65bGP5bmV56KO5LqG?=\n"
    "Message-Id: <8A1C2E3F-4B5D-6E7F-8091-A2B3C4D5E6F7@icloud.com>\n"
    "To: support@desk.example.com\n"
    "X-Mailer: iPhone Mail (21G93)\n\n\n"
    "--Apple-Mail-1A2B3C4D-5E6F\n"
    "Content-Type: text/plain;\n\tcharset=utf-8\n"
    "Content-Transfer-Encoding: quoted-printable\n\n%s\n" % qp(iphone, "utf-8"),
    "--Apple-Mail-1A2B3C4D-5E6F\n"
    "Content-Type: image/jpeg;\n\tname=IMG_0042.jpeg;\n\tx-apple-part-url=9B8A7C6D-E5F4\n"
    "Content-Disposition: inline;\n\tfilename=IMG_0042.jpeg\n"
    "Content-Transfer-Encoding: base64\n\n%s\n" % b64(jpeg, None),
    "--Apple-Mail-1A2B3C4D-5E6F--\n"])

# 6. Big5 (Taiwan), Outlook Express style.
write("big5_tw", [
    "From: \"%s\" <chen@example.com.tw>\n" % word("陳大文", "big5", "big5"),
    "To: <support@desk.example.com>\n"
    "Subject: %s\n" % word("印表機無法連線", "big5", "big5"),
    "Date: Fri, 6 Sep 2024 09:00:00 +0800\n"
    "Message-ID: <000a01d9f0a1$2b3c4d50$6e7f8090$@example.com.tw>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain;\n\tcharset=\"big5\"\n"
    "Content-Transfer-Encoding: quoted-printable\n"
    "X-Mailer: Microsoft Office Outlook 12.0\n\n%s" % qp("您好，\n會議室的印表機無法連線，請協助。\n謝謝\n", "big5")])

# 7. ISO-2022-JP (Japanese), 7bit, encoded words in the same charset.
write("iso2022jp", [
    "From: %s <tanaka@example.co.jp>\n" % word("田中太郎", "iso2022_jp", "ISO-2022-JP"),
    "To: support@desk.example.com\n"
    "Subject: %s\n" % word("パスワードのリセット", "iso2022_jp", "ISO-2022-JP"),
    "Date: Mon, 9 Sep 2024 11:22:33 +0900\n"
    "Message-ID: <20240909112233.ABCD.tanaka@example.co.jp>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=ISO-2022-JP\n"
    "Content-Transfer-Encoding: 7bit\n\n",
    "お世話になっております。\nパスワードのリセットをお願いします。\n".encode("iso2022_jp")])

def single(name, codec, label, sender, addr, subject, date, msgid, body):
    """A one-part text message, its names and body in codec under charset label, base64."""
    write(name, [
        "From: %s <%s>\n" % (word(sender, codec, label), addr),
        "To: support@desk.example.com\nSubject: %s\n" % word(subject, codec, label),
        "Date: %s\nMessage-ID: <%s>\nMIME-Version: 1.0\n" % (date, msgid),
        "Content-Type: text/plain; charset=\"%s\"\n" % label,
        "Content-Transfer-Encoding: base64\n\n%s\n" % b64(body, codec)])


# 8. Shift_JIS label with CP932-only characters (① and 髙).
single("shift_jis_cp932", "cp932", "Shift_JIS", "髙橋", "takahashi@example.jp", "①メールが届かない",
       "Mon, 9 Sep 2024 12:00:00 +0900", "sjis.20240909120000@example.jp",
       "①昨日からメールが届きません。\n髙橋\n")

# 9. Korean labelled ks_c_5601-1987 (Outlook) with a CP949-only syllable (똠).
single("ks_c_5601_cp949", "cp949", "ks_c_5601-1987", "김똠", "kim@example.co.kr", "프린터 오류 똠",
       "Tue, 10 Sep 2024 09:30:00 +0900", "kr.0001@example.co.kr",
       "안녕하세요. 프린터가 작동하지 않습니다. 똠\n")

# 10. Raw 8-bit UTF-8 headers (no encoded words), as some webmail and scripts send.
write("raw_utf8_headers", [
    "From: ", "孙悦 <sun.yue@example.cn>".encode("utf-8"),
    "\nTo: support@desk.example.com\nSubject: ", "邮箱容量已满".encode("utf-8"),
    "\nDate: Wed, 11 Sep 2024 16:00:00 +0800\nMessage-ID: <raw8.1@example.cn>\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n",
    "邮箱提示容量已满，无法收信。\n".encode("utf-8")])

# 11. Outlook out-of-office reply (Auto-Submitted: auto-replied).
write("autoreply_outlook", [
    "From: Li Na <li.na@corp.example.cn>\n"
    "To: IT Support <support@desk.example.com>\n"
    "Subject: %s\n" % word("自动回复: [APAC-000042] 打印机故障", "utf-8", "utf-8"),
    "Date: Mon, 2 Sep 2024 09:31:00 +0800\n"
    "Message-ID: <oof.1a2b3c@CN-EX01.corp.example.cn>\n"
    "In-Reply-To: <sundesk.APAC-000042.7f3a09c2@desk.example.com>\n"
    "Auto-Submitted: auto-replied\n"
    "X-Auto-Response-Suppress: All\n"
    "X-MS-Exchange-Inbox-Rules-Loop: li.na@corp.example.cn\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n%s\n"
    % b64("我正在休假，9月9日返回。\n", "utf-8")])

# 12. A vacation reply that says so only with Precedence: bulk and X-Autoreply (QQ, vacation(1)).
write("autoreply_precedence", [
    "From: 1234567890@qq.com\nTo: support@desk.example.com\n"
    "Subject: %s\n" % word("这是来自QQ邮箱的假期自动回复邮件。", "gb18030", "gb18030"),
    "Date: Mon, 2 Sep 2024 09:31:05 +0800\nMessage-ID: <vacation.99@qq.com>\n"
    "Precedence: bulk\nX-Autoreply: yes\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=gb18030\nContent-Transfer-Encoding: base64\n\n%s\n"
    % b64("您好，我最近正在休假中，无法亲自回复您的邮件。\n", "gb18030")])

# 13. A Postfix bounce (RFC 3464 report, the original message attached, empty return path).
orig = ("Return-Path: <support@desk.example.com>\n"
        "From: IT Support <support@desk.example.com>\n"
        "To: nobody@corp.example.cn\n"
        "Subject: [APAC-000042] =?utf-8?B?5oKo55qE6K+35rGC5bey5Y+X55CG?=\n"
        "Message-ID: <sundesk.APAC-000042.7f3a09c2@desk.example.com>\n"
        "Auto-Submitted: auto-replied\n"
        "Date: Mon, 2 Sep 2024 01:30:00 +0000\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Your request was received.\n")
write("bounce_postfix", [
    "Return-Path: <>\n"
    "Received: by mx.desk.example.com (Postfix) id 4WxYz1AbCdz9sT; Mon,  2 Sep 2024 09:30:02 +0800 (CST)\n"
    "Date: Mon,  2 Sep 2024 09:30:02 +0800 (CST)\n"
    "From: MAILER-DAEMON@mx.desk.example.com (Mail Delivery System)\n"
    "Subject: Undelivered Mail Returned to Sender\n"
    "To: support@desk.example.com\n"
    "Auto-Submitted: auto-replied\n"
    "MIME-Version: 1.0\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"4WxYz1AbCdz9sT.1725240602/mx.desk.example.com\"\n"
    "Content-Transfer-Encoding: 8bit\n"
    "Message-Id: <4WxYz1AbCdz9sT@mx.desk.example.com>\n\n"
    "This is a MIME-encapsulated message.\n\n"
    "--4WxYz1AbCdz9sT.1725240602/mx.desk.example.com\n"
    "Content-Description: Notification\n"
    "Content-Type: text/plain; charset=us-ascii\n\n"
    "This is the mail system at host mx.desk.example.com.\n\n"
    "I'm sorry to have to inform you that your message could not\n"
    "be delivered to one or more recipients.\n\n"
    "<nobody@corp.example.cn>: host mx.corp.example.cn[10.1.2.5] said: 550 5.1.1\n"
    "    <nobody@corp.example.cn>: Recipient address rejected: User unknown\n\n"
    "--4WxYz1AbCdz9sT.1725240602/mx.desk.example.com\n"
    "Content-Description: Delivery report\n"
    "Content-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns; mx.desk.example.com\n"
    "X-Postfix-Queue-ID: 4WxYz1AbCdz9sT\n"
    "X-Postfix-Sender: rfc822; support@desk.example.com\n"
    "Arrival-Date: Mon,  2 Sep 2024 09:30:00 +0800 (CST)\n\n"
    "Final-Recipient: rfc822; Nobody@Corp.Example.CN\n"
    "Original-Recipient: rfc822;nobody@corp.example.cn\n"
    "Action: failed\n"
    "Status: 5.1.1\n"
    "Remote-MTA: dns; mx.corp.example.cn\n"
    "Diagnostic-Code: smtp; 550 5.1.1 <nobody@corp.example.cn>: Recipient address\n"
    "    rejected: User unknown\n\n"
    "--4WxYz1AbCdz9sT.1725240602/mx.desk.example.com\n"
    "Content-Description: Undelivered Message\n"
    "Content-Type: message/rfc822\n"
    "Content-Transfer-Encoding: 8bit\n\n" + orig + "\n"
    "--4WxYz1AbCdz9sT.1725240602/mx.desk.example.com--\n"])

# 14. An Exchange non-delivery report: text/rfc822-headers, not the whole original.
write("bounce_exchange_headers", [
    "From: Microsoft Outlook <postmaster@corp.example.cn>\n"
    "To: <support@desk.example.com>\n"
    "Date: Mon, 2 Sep 2024 01:31:10 +0000\n"
    "Content-Type: multipart/report; report-type=delivery-status;\n"
    "\tboundary=\"ndr_b1c2d3\"\n"
    "X-MS-Exchange-Message-Is-Ndr: \n"
    "Content-Language: en-US\n"
    "Message-ID: <ndr.0a1b2c3d@CN-EX01.corp.example.cn>\n"
    "Subject: =?utf-8?B?5peg5rOV5Lyg6YCSOiBbQVBBQy0wMDAwNDJd?=\n"
    "MIME-Version: 1.0\n\n"
    "--ndr_b1c2d3\nContent-Type: text/html; charset=\"utf-8\"\n\n"
    "<html><body><p><b>Your message to gone@corp.example.cn couldn't be delivered.</b></p></body></html>\n"
    "--ndr_b1c2d3\nContent-Type: message/delivery-status\n\n"
    "Reporting-MTA: dns;CN-EX01.corp.example.cn\nReceived-From-MTA: dns;mx.desk.example.com\n\n"
    "Final-recipient: RFC822; gone@corp.example.cn\nAction: failed\nStatus: 5.1.10\n"
    "Diagnostic-code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound\n\n"
    "--ndr_b1c2d3\nContent-Type: text/rfc822-headers\n\n"
    "From: IT Support <support@desk.example.com>\nTo: gone@corp.example.cn\n"
    "Subject: [APAC-000043] Your request\n"
    "Message-ID:\n <sundesk.APAC-000043.00ff@desk.example.com>\n"
    "Date: Mon, 2 Sep 2024 01:31:00 +0000\n\n"
    "--ndr_b1c2d3--\n"])

# 15. Mailing-list mail (List-Id, Precedence: list).
write("mailing_list", [
    "From: announce-bot@lists.example.org\nTo: it-announce@lists.example.org\n"
    "Subject: [it-announce] Maintenance window Saturday\n"
    "Date: Thu, 12 Sep 2024 07:00:00 +0000\nMessage-ID: <list.20240912@lists.example.org>\n"
    "List-Id: IT announcements <it-announce.lists.example.org>\n"
    "List-Unsubscribe: <mailto:it-announce-leave@lists.example.org>\nPrecedence: list\n"
    "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n"
    "The mail servers will be down on Saturday 02:00-04:00 UTC.\n"])

# 16. HTML only (UTF-8): entities, a table, a style block, an Outlook conditional comment.
html_only = ("<!DOCTYPE html><html><head><title>x</title><style>td{padding:2px}</style></head><body>"
             "<!--[if mso]><p>ignored</p><![endif]-->"
             "<p>Hello&nbsp;team,</p><p>The <b>disk</b> on <i>db01</i> is at 95%&nbsp;&mdash; "
             "please   extend it &amp; check &lt;logs&gt;.</p>"
             "<table><tr><td>host</td><td>db01</td></tr><tr><td>usage</td><td>95%</td></tr></table>"
             "<ul><li>one</li><li>two</li></ul>"
             "<blockquote>&gt; earlier text</blockquote>"
             "<p>Thanks&#44; Ana &#x263A;</p><script>alert(1)</script></body></html>")
write("html_only", [
    "From: \"Ana Souza\" <ana@example.com>\nTo: support@desk.example.com\n"
    "Subject: Disk almost full\nDate: Fri, 13 Sep 2024 10:00:00 +0000\n"
    "Message-ID: <html.only.1@example.com>\nMIME-Version: 1.0\n"
    "Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
    + qp(html_only, "utf-8") + "\n"])

# 17. Attachments: a PDF, an Excel sheet named in RFC 2231 (UTF-8) and a Word file named in an
# RFC 2047 word of gb2312 (Outlook), a forwarded message.
pdf = b"%PDF-1.4\n% fake but byte-exact\n" + bytes(range(256)) * 8 + b"\n%%EOF\n"
xlsx = b"PK\x03\x04" + bytes(range(255, -1, -1)) * 16
docx = b"PK\x03\x04docx" + b"\x00" * 100
fwd = ("From: vendor@example.net\nTo: wang.rong@corp.example.cn\nSubject: Quote\n"
       "Message-ID: <quote.7@example.net>\nDate: Sun, 1 Sep 2024 12:00:00 +0000\n\nPrice list attached.\n")
write("attachments", [
    "From: Wang Rong <wang.rong@corp.example.cn>\nTo: support@desk.example.com\n"
    "Cc: boss@corp.example.cn, \"Li, Na\" <li.na@corp.example.cn>\n"
    "Subject: =?utf-8?B?6K+35a6J6KOF6L2v5Lu2?=\nDate: Sat, 14 Sep 2024 09:00:00 +0800\n"
    "Message-ID: <att.1@corp.example.cn>\nMIME-Version: 1.0\n"
    "Content-Type: multipart/mixed; boundary=\"=_mixed_01\"\n\n"
    "--=_mixed_01\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n",
    "请安装附件中的软件，许可证见表格。\n".encode("utf-8"),
    "\n--=_mixed_01\nContent-Type: application/pdf; name=\"license.pdf\"\n"
    "Content-Disposition: attachment; filename=\"license.pdf\"\nContent-Transfer-Encoding: base64\n\n"
    + b64(pdf, None) + "\n"
    "--=_mixed_01\nContent-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\n"
    "Content-Disposition: attachment;\n filename*=UTF-8''%E8%AE%B8%E5%8F%AF%E8%AF%81%E6%B8%85%E5%8D%95.xlsx\n"
    "Content-Transfer-Encoding: base64\n\n" + b64(xlsx, None) + "\n"
    "--=_mixed_01\nContent-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;\n"
    "\tname=\"%s\"\n" % word("安装说明–镕.docx", "gbk", "gb2312") +
    "Content-Disposition: attachment;\n\tfilename=\"%s\"\n" % word("安装说明–镕.docx", "gbk", "gb2312") +
    "Content-Transfer-Encoding: base64\n\n" + b64(docx, None) + "\n"
    "--=_mixed_01\nContent-Type: message/rfc822\nContent-Disposition: attachment\n\n" + fwd + "\n"
    "--=_mixed_01--\n"])

# 18. No Message-ID (some scanners and scripts): the id is made from the bytes.
write("no_message_id", [
    "From: scanner@printers.example.cn\nTo: support@desk.example.com\n"
    "Subject: Scan from MFP-3F\nDate: Sun, 15 Sep 2024 08:00:00 +0800\n\n"
    "Scanned document attached is missing.\n"])

# 19. format=flowed (Thunderbird), with a quoted reply kept as it is.
write("thunderbird_flowed", [
    "From: Ola Nordmann <ola@example.no>\nTo: support@desk.example.com\n"
    "Subject: Re: [APAC-000042] Printer\nDate: Mon, 16 Sep 2024 08:00:00 +0200\n"
    "Message-ID: <tb.flowed.1@example.no>\n"
    "In-Reply-To: <sundesk.APAC-000042.aa01@desk.example.com>\n"
    "References: <sundesk.APAC-000042.aa01@desk.example.com>\n"
    "User-Agent: Mozilla/5.0 Thunderbird/115.0\nMIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=UTF-8; format=flowed\nContent-Transfer-Encoding: 7bit\n\n"
    "It works again after the restart, thank you for the quick \nhelp with this.\n\n"
    "On 16.09.2024 07:00, IT Support wrote:\n> Please restart the printer and tell \n> us if it helps.\n\n"
    "-- \nOla\n"])

if __name__ == "__main__":
    print("wrote", len([f for f in os.listdir(OUT) if f.endswith(".eml")]), "messages to", OUT,
          file=sys.stderr)
