/* The programme page's print button; the page works without this file. */
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // "Print this programme": the browser's own print, offered only where script runs.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.closest("[hidden]")?.removeAttribute("hidden");
    button.addEventListener("click", () => window.print());
  }
});
