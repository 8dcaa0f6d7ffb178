// Draws the QR code of each [data-qr] element in the page, so the site's handout pages print
// with the same QR code as the PDF handouts without the build computing thousands of them.
// The code is a picture (<img>), not drawn vector shapes: WeChat recognises a QR code on a long
// press only in an image; the element around it is a link, so a tap on a phone opens the page.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-qr]").forEach(function (box) {
    var address = box.getAttribute("data-qr");
    var code = qrcode(0, "M");
    code.addData(address);
    code.make();
    var img = document.createElement("img");
    img.src = code.createDataURL(8, 0);
    img.alt = "二维码：" + address;
    box.replaceChildren(img);
  });
});
