/**
 * Starts the Scalar API reference on /docs from /docs/openapi.json (the document with Chinese
 * descriptions), with no font or script from anywhere but this server. A file of its own (not an
 * inline script) so the page's Content-Security-Policy needs no 'unsafe-inline' for scripts.
 */
export const DOCS_INIT_JS = /* js */ `
(function () {
  "use strict";
  var app = document.getElementById("app");
  if (window.Scalar && window.Scalar.createApiReference) {
    window.Scalar.createApiReference("#scalar", {
      url: "/docs/openapi.json",
      withDefaultFonts: false,
      localization: { locale: "zh-CN" },
      showDeveloperTools: "never",
      agent: { disabled: true },
      hideClientButton: false,
      telemetry: false,
      defaultHttpClient: { targetKey: "shell", clientKey: "curl" }
    });
    // The interactive reference replaces the server-rendered one (same document), and the pages'
    // stylesheet with it: its rules for buttons and headings would restyle the viewer.
    if (app) app.remove();
    var sheet = document.querySelector('link[rel="stylesheet"][href^="/ui/app.css"]');
    if (sheet) sheet.remove();
  } else if (app) {
    var status = document.getElementById("docs-status");
    if (status && status.textContent.indexOf("正在加载") === 0) status.textContent = "交互式文档的脚本没有加载成功；下面是同一份接口定义。";
  }
})();
`;
