"""Writes the bad-file corpus (run once; the bytes are committed). Expected errors live in expected.json."""
import os, random

here = os.path.dirname(os.path.abspath(__file__))
H = "batch,genericName,dosageForm,spec,packageQty,manufacturer,chosenPrice,referencePrice,referenceKind,supplyRegions\n"
OK = "national-drug-3,好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n"
ZH = "批次,药品通用名,剂型,规格,转换比,中选企业,中选价格（元）,最高有效申报价（元）,供应省份\n"

def w(name, data):
    with open(os.path.join(here, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

w("01-wrong-encoding-declared.csv", b"\xef\xbb\xbf" + (ZH + "national-drug-3,阿莫西林胶囊,胶囊剂,0.25g,24,甲公司,￥1.50,3,\n").encode("gb18030"))
w("02-utf16.csv", "\ufeff" .encode("utf-16-le") + (H + OK).encode("utf-16-le"))
random.seed(4)
w("03-binary-junk.csv", bytes(random.randrange(256) for _ in range(4096)) + b"\x00")
w("04-xlsx-renamed.csv", b"PK\x03\x04\x14\x00\x06\x00" + bytes(200))
w("05-empty.csv", b"")
w("06-blank-lines.csv", "\r\n\r\n\r\n")
w("07-header-only.csv", H)
w("08-missing-required-column.csv", H.replace(",chosenPrice", "") + "national-drug-3,好药片,片剂,10mg,7,甲公司,3,ceiling,\n")
w("09-missing-batch-column.csv", H.replace("batch,", "") + OK.replace("national-drug-3,", ""))
w("10-duplicate-column.csv", H.replace("\n", ",中选价格\n") + OK.replace("\n", ",1.5\n"))
w("11-duplicate-rows.csv", H + OK + OK)
w("12-negative-price.csv", H + OK + "national-drug-3,坏药片,片剂,10mg,7,乙公司,-1.5,3,ceiling,\n")
w("13-non-numeric-price.csv", H + OK + "national-drug-3,坏药片,片剂,10mg,7,乙公司,一块五,3,ceiling,\n")
w("14-zero-price.csv", H + "national-drug-3,坏药片,片剂,10mg,7,乙公司,0,3,ceiling,\n")
w("15-too-many-decimals.csv", H + "national-drug-3,坏药片,片剂,10mg,7,乙公司,1.23456,3,ceiling,\n")
w("16-chosen-above-reference.csv", H + "national-drug-3,贵药片,片剂,10mg,7,乙公司,5,3,ceiling,\n")
w("17-unknown-batch.csv", H + "national-drug-99,好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n")
w("18-unknown-region.csv", H + "national-drug-3,好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,内蒙古、火星\n")
w("19-ragged-short.csv", H + OK + "national-drug-3,短药片,片剂,10mg,7,乙公司,1.5\n")
w("20-ragged-long.csv", H + OK + "national-drug-3,长药片,片剂,10mg,7,乙公司,1.5,3,ceiling,,多余\n")
w("21-cell-1mb.csv", H + "national-drug-3," + "药" * (1024 * 1024) + ",片剂,10mg,7,甲公司,1.5,3,ceiling,\n")
w("22-unclosed-quote.csv", H + OK + 'national-drug-3,"引号药片,片剂,10mg,7,乙公司,1.5,3,ceiling,\n' + OK.replace("好", "另"))
w("23-text-after-closing-quote.csv", H + 'national-drug-3,"引号"药片,片剂,10mg,7,乙公司,1.5,3,ceiling,\n')
w("24-no-header-row.csv", "这是一个说明文件\n没有表头\n1,2,3\n")
w("25-bad-package-qty.csv", H + "national-drug-3,好药片,片剂,10mg,0,甲公司,1.5,3,ceiling,\n" + "national-drug-3,另药片,片剂,10mg,七,甲公司,1.5,3,ceiling,\n")
w("26-bad-date.csv", "batch,genericName,chosenPrice,cycleStart\nnational-drug-3,好药片,1.5,2021-13-01\nnational-drug-3,另药片,1.5,2021-02-30\n")
w("27-bad-category.csv", "batch,类别,genericName,chosenPrice\nnational-drug-3,西药,好药片,1.5\n")
w("28-reference-without-kind.csv", "batch,genericName,chosenPrice,referencePrice\nnational-drug-3,好药片,1.5,3\n")
w("29-regions-bad-fund-share.csv", "code,name,level,fundShare\n150400,赤峰市,city,150%\n1504,赤峰,city,70\n")
w("30-batches-bad-id-and-cycle.csv", "id,name,level,category,cycleStart,cycleEnd\nnew batch,新批次,national,drug,2022-01-01,2021-01-01\n")
w("31-gb18030-official-bad-row.csv",
  ("国家组织药品集中采购中选结果表\n单位：元\n" + ZH +
   "national-drug-3,阿莫西林胶囊,胶囊剂,0.25g,24,甲公司,\"￥1,234.50\",\"￥2,000\",\n" +
   "national-drug-3,头孢呋辛酯片,片剂,0.25g,12,乙公司,￥abc,￥20,\n").encode("gb18030"))
w("32-newline-in-quotes-then-bad-row.csv", H + 'national-drug-3,"多行\n药片",片剂,10mg,7,甲公司,1.5,3,ceiling,\n' + "national-drug-3,坏药片,片剂,10mg,7,乙公司,,3,ceiling,\n")
w("33-crlf-bad-row.csv", (H + OK + "national-drug-3,坏药片,片剂,10mg,7,乙公司,1.5元,3,ceiling,\n").replace("\n", "\r\n"))
w("34-neither-utf8-nor-gb18030.csv", H.encode() + b"national-drug-3,\x80\xff\x80,1.5\n")
w("35-batch-empty-in-row.csv", H + ",好药片,片剂,10mg,7,甲公司,1.5,3,ceiling,\n")
w("36-late-gb18030-after-ascii.csv", (H + "".join(f"national-drug-3,tablet-{i},tablet,10mg,7,firm-{i},1.5,3,ceiling,\n" for i in range(3000))).encode() + "national-drug-3,坏药片,片剂,10mg,7,乙公司,x,3,ceiling,\n".encode("gb18030"))

# Issue 17: encodings by BOM, blank lines of any number, delimiters read from the header row,
# hostile cell contents (formulas, terminal escapes, bidi overrides), numbers and dates as Excel writes them.
w("37-utf32le-bom.csv", "\ufeff".encode("utf-32-le") + (H + OK).encode("utf-32-le"))
w("38-utf32be-bom.csv", "\ufeff".encode("utf-32-be") + (H + OK).encode("utf-32-be"))
w("39-utf16be-bom.csv", "\ufeff".encode("utf-16-be") + (H + OK).encode("utf-16-be"))
w("40-utf16le-no-bom.csv", (H + OK).encode("utf-16-le"))
w("41-150k-trailing-blank-lines.csv", H + OK + "\r\n" * 150000)
w("42-blank-lines-above-and-between.csv", "\n" * 100 + H + "\n" * 50 + OK + ",,,,,,,,,\n" * 40 + OK.replace("好", "另"))
w("43-semicolons-in-a-cell.csv", H + OK.replace("甲公司", "甲;乙;丙;丁"))
w("44-semicolon-delimited.csv", (H + OK).replace(",", ";"))
w("45-tab-delimited.csv", (H + OK).replace(",", "\t"))
w("46-cr-only-line-endings.csv", (H + OK + OK.replace("好", "另")).replace("\n", "\r"))
w("47-formula-cells.csv", H + OK.replace("好药片", '"=HYPERLINK(""http://evil.example"",""点我"")"') + OK.replace("好药片", "+cmd|' /C calc'!A0").replace("甲公司", "@SUM(1+1)"))
w("48-terminal-escapes-bad-price.csv", H + "national-drug-3,\x1b[2J\x1b[31m好药片,片剂,10mg,7,甲公司,\x1b]0;owned\x07,3,ceiling,\n")
w("49-bidi-override-bad-price.csv", H + "national-drug-3,\u202e片药好,片剂,10mg,7,甲公司,\u202e5.1,3,ceiling,\n")
w("50-excel-serial-date.csv", "batch,genericName,chosenPrice,cycleStart\nnational-drug-3,好药片,1.5,44197\n")
w("51-fullwidth-digits-price.csv", H + OK.replace(",1.5,", ",１.５,"))
w("52-thousands-separator-unquoted.csv", H + OK.replace(",1.5,3,", ",1,234.5,2000,"))
w("53-quoted-spaced-header-with-bom.csv", "\ufeff" + ",".join(f'" {h} "' for h in H.strip().split(",")) + "\r\n" + OK.replace("\n", "\r\n"))
w("54-reordered-and-extra-columns.csv", "备注,supplyRegions,chosenPrice,genericName,batch,spec,dosageForm,manufacturer,packageQty,referencePrice,referenceKind\n无,,1.5,好药片,national-drug-3,10mg,片剂,甲公司,7,3,ceiling\n")
w("55-zero-width-and-nbsp-price.csv", H + OK.replace(",1.5,", ",\u200b1.5\u00a0,"))
w("56-scientific-notation-price.csv", H + OK.replace(",1.5,", ",1.5E+00,"))
w("57-header-repeated-below.csv", H + OK + H + OK.replace("好", "另"))
w("58-only-title-rows.csv", "国家组织药品集中采购中选结果表\n单位：元\n\n\n")
