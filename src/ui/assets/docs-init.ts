/**
 * Starts the Scalar API reference on /docs from /openapi.json. A file of its own (not an inline
 * script) so the page's Content-Security-Policy needs no 'unsafe-inline' for scripts.
 */
export const DOCS_INIT_JS = /* js */ `
(function () {
  "use strict";
  var app = document.getElementById("app");
  if (window.Scalar && window.Scalar.createApiReference) {
    window.Scalar.createApiReference("#app", { url: "/openapi.json", hideClientButton: false, defaultHttpClient: { targetKey: "shell", clientKey: "curl" } });
  } else if (app) {
    var status = document.getElementById("docs-status");
    if (status) status.textContent = "交互式文档的脚本没有加载成功（需要访问 cdn.jsdelivr.net）；下面是同一份接口定义。";
  }
})();
`;
