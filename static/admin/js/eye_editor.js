/* The editor's helpers in the admin, loaded as a file so the admin runs under a CSP without
   inline scripts:
   - an image shows as soon as it is chosen, before anything is uploaded;
   - stills can be dragged into order, and their order numbers follow. Without this script
     the numbers stay editable by hand, which is also the keyboard's way. */
"use strict";

(function () {
  function showPreview(input) {
    const file = input.files && input.files[0];
    let preview = input.parentElement.querySelector("img.upload-preview");
    if (!file || !file.type.startsWith("image/")) {
      if (preview) preview.hidden = true;
      return;
    }
    if (!preview) {
      preview = document.createElement("img");
      preview.className = "upload-preview";
      // The alt text fields beside it describe the image; the preview repeats nothing.
      preview.alt = "";
      input.insertAdjacentElement("afterend", preview);
    }
    // A data: URL, which the site's Content-Security-Policy allows for images (blob: it does not).
    const reader = new FileReader();
    reader.addEventListener("load", function () {
      preview.src = reader.result;
      preview.hidden = false;
    });
    reader.readAsDataURL(file);
  }

  // A new still goes after the others unless the editor numbers or drags it elsewhere.
  function numberNewStill(input) {
    const row = input.closest(".stills-inline tr.form-row");
    const order = row && row.querySelector('input[name$="-order"]');
    if (!order || row.classList.contains("has_original") || Number(order.value) > 0) return;
    let highest = 0;
    row.closest("tbody").querySelectorAll('input[name$="-order"]').forEach(function (other) {
      if (other !== order) highest = Math.max(highest, Number(other.value) || 0);
    });
    order.value = highest + 1;
  }

  document.addEventListener("change", function (event) {
    const target = event.target;
    if (target instanceof HTMLInputElement && target.type === "file") {
      showPreview(target);
      numberNewStill(target);
    }
  });

  // Only rows that hold a still get a number: numbering an empty extra row would make the
  // admin treat it as filled in and ask for its image.
  function holdsStill(row) {
    if (row.classList.contains("has_original")) return true;
    const file = row.querySelector('input[type="file"]');
    return Boolean(file && file.files && file.files.length);
  }

  function renumber(group) {
    let order = 1;
    group.querySelectorAll("tbody tr.form-row").forEach(function (row) {
      const input = row.querySelector('input[name$="-order"]');
      if (!input || row.classList.contains("empty-form") || !holdsStill(row)) return;
      input.value = order;
      order += 1;
    });
  }

  function makeSortable(group) {
    const $ = window.django && window.django.jQuery;
    if (!$ || !$.fn.sortable) return;
    group.classList.add("is-sortable");
    $(group.querySelector("tbody")).sortable({
      items: "> tr.form-row:not(.empty-form)",
      handle: "td.field-order",
      axis: "y",
      update: function () {
        renumber(group);
      },
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".stills-inline").forEach(makeSortable);
  });
})();
