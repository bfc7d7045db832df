"""Write the encoded input fixtures (run from this folder). The HTML news page is hand-written."""

from pathlib import Path

good, bad = Path("good"), Path("bad")
ja = (
    "日米首脳、重要鉱物・レアアース供給確保の枠組みに署名\n\n（ＣＮＮ）トランプ米大統領と高市早苗首相は２８日、"
    "東京での首脳会談後、重要鉱物およびレアアース（希土類）の供給確保に関する合意文書に署名した。\n"
)
zh = (
    "中重稀土出口管制\n\n2025年4月4日,商务部 海关总署联合发布公告,宣布对钐、钆、铽、镝、镥、钪、钇相关物项"
    "实施出口管制,并于发布之日起正式实施。\n"
)
fr = (
    "Carester lance une usine de recyclage de terres rares à Lacq\n\nLe financement global du projet "
    "atteint 216 millions d'euros, répartis entre l'État français et des partenaires japonais.\n"
)
de = (
    "BDI fürchtet Metallkrise\n\nDie temporären Ausfuhrbeschränkungen von sogenannten schweren "
    "seltenen Erden und Magneten aus China seien „alarmierend“ für die deutsche Industrie.\n"
)
(good / "ja-shift-jis-page.html").write_bytes(
    (
        '<html lang="ja"><head><meta http-equiv="Content-Type" content="text/html; '
        'charset=Shift_JIS"><title>日米首脳、重要鉱物・レアアース供給確保の枠組みに署名</title></head>'
        "<body><article><h1>日米首脳、重要鉱物・レアアース供給確保の枠組みに署名</h1><p>（ＣＮＮ）"
        "トランプ米大統領と高市早苗首相は２８日、東京での首脳会談後、重要鉱物およびレアアース（希土類）"
        "の供給確保に関する合意文書に署名した。</p><p>両首脳は、日米両国の国内産業にとって極めて重要な、"
        "原材料および加工済みの重要鉱物並びにレアアースの供給を支援することで合意した。</p></article>"
        "</body></html>"
    ).encode("shift_jis")
)
(good / "zh-gbk.txt").write_bytes(zh.encode("gbk"))
(good / "ja-shift-jis.txt").write_bytes(ja.encode("shift_jis"))
(good / "fr-latin1.xhtml").write_bytes(
    (
        '<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE html>\n<html '
        'xmlns="http://www.w3.org/1999/xhtml" lang="fr"><head><title>Carester lance une usine'
        "</title></head><body><article><h1>Carester lance une usine de recyclage de terres rares "
        "à Lacq</h1><p>Le financement global du projet atteint 216 millions d'euros, répartis "
        "entre l'État français et des partenaires japonais.</p><p>L'usine devrait entrer en "
        "service fin 2026, avec la création de 92 emplois directs à Lacq.</p></article></body>"
        "</html>"
    ).encode("latin-1")
)
(good / "de-utf16.txt").write_bytes(de.encode("utf-16"))  # with a BOM
(good / "de-cp1252.txt").write_bytes(de.encode("cp1252"))
(good / "fr-utf8-bom-crlf.txt").write_bytes(b"\xef\xbb\xbf" + fr.replace("\n", "\r\n").encode())
(bad / "binary.txt").write_bytes(bytes(range(256)) * 8)
(bad / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
(bad / "undecodable.txt").write_bytes(
    bytes.fromhex(
        "c328a0a1e228a1e28228f0288cbcf09028bcf8a1a1a1a1fca1a1a1a1a1818d8f909dfefffefe"
    )
    * 8
)
(bad / "empty.txt").write_bytes(b"\n  \r\n\t\n")
