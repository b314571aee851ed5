// Swagger UI over this server's OpenAPI description (web/templates/api_docs.html).
// Deep links stay off: they put a link inside each operation's button (nested controls).
// No validator badge: Swagger UI would fetch it from swagger.io.
const root = document.getElementById("swagger-ui");
window.ui = SwaggerUIBundle({
  url: root.dataset.openapiUrl,
  domNode: root,
  layout: "BaseLayout",
  deepLinking: false,
  validatorUrl: null,
  showExtensions: true,
  showCommonExtensions: true,
  syntaxHighlight: false, // its colours on dark grey read below a 4.5:1 contrast
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});

// What Swagger UI leaves out for keyboards and screen readers, added as it renders: a name for
// each "Try it out" select (its parameter's) and copy button, and a Tab stop on each code block
// (they scroll sideways).
function completeControls() {
  for (const control of root.querySelectorAll("tr[data-param-name] select:not([aria-label])")) {
    control.setAttribute("aria-label", control.closest("tr").dataset.paramName);
  }
  for (const button of root.querySelectorAll(".copy-to-clipboard button:not([aria-label])")) {
    button.setAttribute("aria-label", "Copy to clipboard");
  }
  for (const block of root.querySelectorAll("pre:not([tabindex])")) {
    block.setAttribute("tabindex", "0");
  }
}
new MutationObserver(completeControls).observe(root, { childList: true, subtree: true });
