"""Draw the site's share-card image (``static/img/share-card.png``, 1200×630) from its colours
and name: ``python -m apps.core.share_image`` after a change of name. Needs Debian's
``fonts-noto-cjk``; the PNG is committed, so nothing draws it at run time."""

import sys

from PIL import Image, ImageDraw, ImageFont

RED, RED_DARK, GOLD, WHITE = "#c8161d", "#9e0f15", "#f5c400", "#ffffff"
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"


def draw(path: str, name: str = "兴化市总工会", tagline: str = "职工服务门户") -> None:
    image = Image.new("RGB", (1200, 630), RED)
    pen = ImageDraw.Draw(image)
    pen.rectangle((0, 540, 1200, 630), fill=RED_DARK)
    pen.rectangle((96, 150, 116, 420), fill=GOLD)
    pen.text((156, 140), name, font=ImageFont.truetype(FONT, 120), fill=WHITE)
    pen.text((160, 310), tagline, font=ImageFont.truetype(FONT, 72), fill=GOLD)
    small = ImageFont.truetype(FONT, 36)
    pen.text((96, 563), "工会新闻 · 十件实事 · 法律维权 · 职工驿站 · 技术创新", font=small, fill=WHITE)
    image.save(path, optimize=True)


if __name__ == "__main__":
    draw(sys.argv[1] if len(sys.argv) > 1 else "static/img/share-card.png")
