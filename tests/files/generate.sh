#!/usr/bin/env bash
# Regenerates the upload-scanning fixtures in this directory with real producers: LibreOffice (headless)
# writes the DOCX/XLSX/PPTX/ODT/ODS/ODP/PDF files from flat OpenDocument sources holding the planted
# values, LibreOffice's API saves the password-protected ODT and PDF, msoffcrypto-tool (PyPI) the DOCX, Python's `email` and `zipfile`
# write the mail and the archives, iconv the re-encoded texts. The outputs are committed (CI does not
# run this script); README.md lists each file and what is planted in it.
#
#   tests/files/generate.sh            regenerate everything (installs LibreOffice with apt when missing)
#   tests/files/generate.sh big DIR [N] write the benchmark DOCX and PDF (N paragraphs, about 10 MB each
#                                       at the default) into DIR instead; nothing here changes
set -euo pipefail
cd "$(dirname "$0")"
OUT=$PWD
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

if ! command -v soffice >/dev/null; then
  echo "installing LibreOffice (headless) with apt"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui python3-uno >/dev/null
fi

# The planted values: fake, but each is found by a built-in rule (README.md names the rules).
EMAIL=ann.lee@examplecorp.com
AWS=AKIAQYLPMN5HHHFPZAM2
CARD="4539 1488 0343 6467"
IBAN="DE44 5001 0517 5407 3249 31"
SSN=536-22-8841
GHP=ghp_4kT9pQ2mX7vL1nR8sW3yZ6bC0dF5gH2jK9aE
LABEL=3a2fed65-62e7-46ea-af74-187e0c17143a

convert() { # $1 = target (e.g. docx:"MS Word 2007 XML"), $2 = source, $3 = output dir
  HOME=$WORK soffice --headless --norestore --convert-to "$1" --outdir "$3" "$2" >/dev/null 2>&1
}

# --- a Writer document: body with the values split over formatted runs, a header, a footer, a
# comment, a footnote, and user-defined properties including a sensitivity label ---------------------
# $1 paragraphs of routine text; varied words (a fixed seed) so a big document does not compress away.
filler() {
  awk -v n="$1" 'BEGIN {
    srand(7); split("delivery schedule review meeting vendor invoice status update quarter team budget plan risk owner action item milestone report shipment customer order region forecast", w, " ")
    for (i = 1; i <= n; i++) {
      line = "Paragraph " i ":"
      for (j = 0; j < 40; j++) line = line " " w[int(rand() * 24) + 1] (int(rand() * 10) == 0 ? " " int(rand() * 100000) : "")
      print "  <text:p>" line ".</text:p>"
    }
  }'
}

writer_source() { # $1 = number of filler paragraphs
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>
  <dc:title>Quarterly vendor review</dc:title>
  <meta:user-defined meta:name="MSIP_Label_${LABEL}_Enabled">true</meta:user-defined>
  <meta:user-defined meta:name="MSIP_Label_${LABEL}_Name">Confidential</meta:user-defined>
  <meta:user-defined meta:name="MSIP_Label_${LABEL}_SiteId">72f988bf-86f1-41af-91ab-2d7cd011db47</meta:user-defined>
  <meta:user-defined meta:name="Reviewer">ops-team</meta:user-defined>
 </office:meta>
 <office:automatic-styles>
  <style:style style:name="T1" style:family="text"><style:text-properties fo:font-weight="bold"/></style:style>
  <style:page-layout style:name="pm1"><style:header-style/><style:footer-style/></style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="pm1">
   <style:header><text:p>Escalation contact ${EMAIL}</text:p></style:header>
   <style:footer><text:p>Billing IBAN ${IBAN}</text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body><office:text>
  <text:h text:outline-level="1">Vendor review</text:h>
  <text:p>The deployment key is <text:span text:style-name="T1">AKIAQYLP</text:span>${AWS#AKIAQYLP} and must be rotated.<office:annotation><dc:creator>Reviewer</dc:creator><text:p>Card on file: ${CARD}</text:p></office:annotation></text:p>
  <text:p>Employee SSN: ${SSN}<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>Token used in CI: ${GHP}</text:p></text:note-body></text:note></text:p>
$(filler "$1")
 </office:text></office:body>
</office:document>
EOF
}

calc_source() {
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
 <office:body><office:spreadsheet>
  <table:table table:name="People">
   <table:table-row><table:table-cell office:value-type="string"><text:p>Name</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>Email</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>SSN</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>Ann Lee</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>${EMAIL}</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>SSN ${SSN}</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="float" office:value="42"><text:p>42</text:p></table:table-cell></table:table-row>
  </table:table>
  <table:table table:name="Payments">
   <table:table-row><table:table-cell office:value-type="string"><text:p>Card</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>IBAN</text:p></table:table-cell></table:table-row>
   <table:table-row><table:table-cell office:value-type="string"><text:p>${CARD}</text:p></table:table-cell><table:table-cell office:value-type="string"><text:p>${IBAN}</text:p></table:table-cell></table:table-row>
  </table:table>
 </office:spreadsheet></office:body>
</office:document>
EOF
}

impress_source() {
  cat <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.presentation">
 <office:body><office:presentation>
  <draw:page draw:name="page1">
   <draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>Roadmap review</text:p></draw:text-box></draw:frame>
  </draw:page>
  <draw:page draw:name="page2">
   <draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box><text:p>Deploy with ${AWS}</text:p></draw:text-box></draw:frame>
   <presentation:notes><draw:frame presentation:class="notes" svg:x="2cm" svg:y="14cm" svg:width="17cm" svg:height="10cm"><draw:text-box><text:p>Speaker contact ${EMAIL}</text:p></draw:text-box></draw:frame></presentation:notes>
  </draw:page>
 </office:presentation></office:body>
</office:document>
EOF
}

# --- password-protected OpenDocument, saved by LibreOffice itself through its API -------------------
save_with_password() { # $1 = source, $2 = output, $3 = filter name
  HOME=$WORK /usr/bin/python3 - "$1" "$2" "$3" <<'PY'
import os, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue
src, dst, filt = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), sys.argv[3]
proc = subprocess.Popen(["soffice", "--headless", "--norestore", "--invisible",
                         "--accept=socket,host=127.0.0.1,port=2083;urp;"],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
resolver = uno.getComponentContext().ServiceManager.createInstanceWithContext(
    "com.sun.star.bridge.UnoUrlResolver", uno.getComponentContext())
for _ in range(100):
    try:
        ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=2083;urp;StarOffice.ComponentContext")
        break
    except Exception:
        time.sleep(0.2)
time.sleep(1)  # the office accepts connections before it is ready to load documents
desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
def prop(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p
doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (prop("Hidden", True),))
doc.storeToURL(uno.systemPathToFileUrl(dst), (prop("FilterName", filt), prop("Password", "secret")))
doc.close(True)
try:
    desktop.terminate()
except Exception:
    pass
proc.wait(timeout=30)
PY
}

if [ "${1:-}" = big ]; then
  # Benchmark inputs: ~10 MB DOCX and PDF. Not committed.
  dest=${2:?usage: generate.sh big DIR}
  mkdir -p "$dest"
  writer_source "${3:-40000}" > "$WORK/big.fodt"
  convert 'docx:MS Word 2007 XML' "$WORK/big.fodt" "$WORK"
  convert pdf "$WORK/big.fodt" "$WORK"
  cp "$WORK/big.docx" "$WORK/big.pdf" "$dest/"
  ls -l "$dest"
  exit 0
fi

writer_source 3 > "$WORK/planted.fodt"
calc_source > "$WORK/planted.fods"
impress_source > "$WORK/planted.fodp"

convert 'docx:MS Word 2007 XML' "$WORK/planted.fodt" "$WORK"
convert odt "$WORK/planted.fodt" "$WORK"
convert pdf "$WORK/planted.fodt" "$WORK"
convert 'xlsx:Calc MS Excel 2007 XML' "$WORK/planted.fods" "$WORK"
convert ods "$WORK/planted.fods" "$WORK"
convert 'pptx:Impress MS PowerPoint 2007 XML' "$WORK/planted.fodp" "$WORK"
convert odp "$WORK/planted.fodp" "$WORK"
convert png "$WORK/planted.fodt" "$WORK"
for f in docx odt pdf xlsx ods pptx odp png; do cp "$WORK/planted.$f" "$OUT/planted.$f"; done
mv "$OUT/planted.png" "$OUT/image.png"

# A PDF with pages but no text layer: the page picture, placed by Draw.
convert 'pdf:draw_pdf_Export' "$OUT/image.png" "$WORK"
cp "$WORK/image.pdf" "$OUT/scanned.pdf"

# (From a plain-text document: LibreOffice 7.4 crashes saving the annotated one with a password.)
printf 'Deploy key %s\nContact %s\n' "$AWS" "$EMAIL" > "$WORK/secret.txt"
convert odt "$WORK/secret.txt" "$WORK"
save_with_password "$WORK/secret.odt" "$OUT/encrypted.odt" "writer8"
# LibreOffice 7.4 ignores a password when it writes DOCX, so Office encryption (ECMA-376 agile, the
# CFB container Word writes) comes from msoffcrypto-tool, installed from PyPI in a throwaway venv.
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q msoffcrypto-tool
"$WORK/venv/bin/msoffcrypto-tool" -e -p secret "$OUT/planted.docx" "$OUT/encrypted.docx"
# PDF export with an open password (LibreOffice 7.4+ takes JSON filter options on the command line).
convert 'pdf:writer_pdf_Export:{"EncryptFile":{"type":"boolean","value":"true"},"DocumentOpenPassword":{"type":"string","value":"secret"}}' \
  "$WORK/planted.odt" "$WORK/enc"
cp "$WORK/enc/planted.pdf" "$OUT/encrypted.pdf"

# --- text files ------------------------------------------------------------------------------------
printf 'name,email,card\nAnn Lee,%s,"%s"\nBob Roe,bob.roe@examplecorp.com,n/a\n' "$EMAIL" "$CARD" > "$OUT/planted.csv"
printf '{"service": "deploy", "aws_access_key_id": "%s", "owner": "%s"}\n' "$AWS" "$EMAIL" > "$OUT/planted.json"
printf 'Grüße aus Köln — Kontakt %s, IBAN %s\n' "$EMAIL" "$IBAN" > "$WORK/utf8.txt"
iconv -f UTF-8 -t UTF-16 "$WORK/utf8.txt" > "$OUT/utf16.txt"               # with a byte-order mark
iconv -f UTF-8 -t WINDOWS-1252 "$WORK/utf8.txt" > "$OUT/cp1252.txt"
printf '<!DOCTYPE html><html><body><p>Mail <b>%s</b></p><a href="https://x.example/?key=%s">link</a></body></html>\n' "$EMAIL" "$AWS" > "$OUT/planted.html"

# --- mail with a DOCX attachment (base64) and a quoted-printable body, by Python's email package ---
python3 - "$OUT" "$EMAIL" "$SSN" <<'PY'
import sys
from email.message import EmailMessage
out, email, ssn = sys.argv[1:]
msg = EmailMessage()
msg["From"] = "Ann Lee <%s>" % email
msg["To"] = "payroll@examplecorp.com"
msg["Subject"] = "Payroll correction — Grüße"
msg.set_content("Hello,\nplease correct the record for SSN %s before Friday.\nThanks — Ann\n" % ssn, cte="quoted-printable")
with open(out + "/planted.docx", "rb") as f:
    msg.add_attachment(f.read(), maintype="application",
                       subtype="vnd.openxmlformats-officedocument.wordprocessingml.document",
                       filename="review.docx")
with open(out + "/planted.eml", "wb") as f:
    f.write(bytes(msg))
PY

# --- archives, damaged files and bombs, by Python's zipfile -----------------------------------------
python3 - "$OUT" <<'PY'
import sys, zipfile, struct
out = sys.argv[1]
# An archive holding a CSV and the DOCX.
with zipfile.ZipFile(out + "/archive.zip", "w", zipfile.ZIP_DEFLATED) as z:
    z.write(out + "/planted.csv", "export/people.csv")
    z.write(out + "/planted.docx", "export/review.docx")
# Ratio bomb shaped like a DOCX: 200 MB of zeros in word/document.xml.
with zipfile.ZipFile(out + "/bomb.docx", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    with z.open("word/document.xml", "w", force_zip64=True) as f:
        block = b"\0" * (1 << 20)
        for _ in range(200):
            f.write(block)
# An entry that inflates to far more than its header declares (declared sizes patched to 1000).
with zipfile.ZipFile(out + "/lying-bomb.zip", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    z.writestr("data.txt", b"A" * (20 << 20))
data = bytearray(open(out + "/lying-bomb.zip", "rb").read())
# local header: uncompressed size at offset 22; central directory entry: at offset 24 after PK\1\2
data[22:26] = struct.pack("<I", 1000)
cd = data.rfind(b"PK\x01\x02")
data[cd + 24:cd + 28] = struct.pack("<I", 1000)
open(out + "/lying-bomb.zip", "wb").write(bytes(data))
# Damaged: the DOCX cut in half, and the PDF with its middle overwritten.
docx = open(out + "/planted.docx", "rb").read()
open(out + "/truncated.docx", "wb").write(docx[: len(docx) // 2])
pdf = bytearray(open(out + "/planted.pdf", "rb").read())
mid = len(pdf) // 3
pdf[mid:mid + 2000] = b"\xff" * 2000
open(out + "/corrupt.pdf", "wb").write(bytes(pdf))
PY
ls -l "$OUT"
du -sh "$OUT"
