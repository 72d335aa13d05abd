/* Arriendo — un poco de JavaScript. Todo funciona sin él; esto solo ayuda.
   - input[data-money]: agrupa miles con puntos mientras se escribe (1.234.567), conserva la parte
     decimal después de la coma y deja el cursor donde estaba.
   - form[data-confirm]: pide confirmación antes de enviar (p. ej. eliminar).
   - .error-summary: recibe el foco al cargar, para que el lector de pantalla lo anuncie.
   - Escape cierra el menú móvil. */
(function () {
  "use strict";

  var MAX_DECIMALS = 2;

  function groupThousands(digits) {
    var out = "";
    for (var i = 0; i < digits.length; i++) {
      if (i > 0 && (digits.length - i) % 3 === 0) out += ".";
      out += digits.charAt(i);
    }
    return out;
  }

  /* Formats what the user typed. Dots are thousands separators, the first comma is the decimal mark,
     a leading minus is kept (the server refuses negatives with a message). */
  function formatMoney(raw) {
    var text = String(raw).trim();
    var negative = text.charAt(0) === "-";
    var comma = text.indexOf(",");
    var intRaw = comma >= 0 ? text.slice(0, comma) : text;
    var decRaw = comma >= 0 ? text.slice(comma + 1) : "";
    var intDigits = intRaw.replace(/\D/g, "").replace(/^0+(?=\d)/, "");
    var decDigits = decRaw.replace(/\D/g, "").slice(0, MAX_DECIMALS);
    if (intDigits === "" && comma < 0) return negative ? "-" : "";
    if (intDigits === "") intDigits = "0";
    var out = (negative ? "-" : "") + groupThousands(intDigits);
    if (comma >= 0) out += "," + decDigits;
    return out;
  }

  /* Counts the characters that carry meaning (digits, comma, minus) before position `pos`. */
  function significantBefore(text, pos) {
    var n = 0;
    for (var i = 0; i < pos && i < text.length; i++) {
      if (/[\d,\-]/.test(text.charAt(i))) n++;
    }
    return n;
  }

  /* The position in `text` just after its `n`-th significant character. */
  function positionAfter(text, n) {
    if (n <= 0) return 0;
    var seen = 0;
    for (var i = 0; i < text.length; i++) {
      if (/[\d,\-]/.test(text.charAt(i))) {
        seen++;
        if (seen === n) return i + 1;
      }
    }
    return text.length;
  }

  function onlyDigits(text) {
    return String(text).replace(/\D/g, "");
  }

  function handleMoneyInput(event) {
    var el = event.target;
    var raw = el.value;
    var caret = el.selectionStart === null ? raw.length : el.selectionStart;
    var previous = el.getAttribute("data-money-prev") || "";
    var type = event.inputType || "";

    /* Pasted "1234.50" (English style, one dot not followed by three digits): the dot is a decimal mark. */
    if (type === "insertFromPaste" && raw.indexOf(",") < 0 && /^\s*-?\$?\s*\d+\.\d{1,2}\s*$/.test(raw)) {
      raw = raw.replace(".", ",");
    }

    /* Backspace/Delete over a thousands dot: remove the neighbouring digit instead, so the key works. */
    if (type.indexOf("delete") === 0 && onlyDigits(raw) === onlyDigits(previous) && raw.length < previous.length) {
      if (type === "deleteContentBackward") {
        var j = caret - 1;
        while (j >= 0 && !/\d/.test(raw.charAt(j))) j--;
        if (j >= 0) { raw = raw.slice(0, j) + raw.slice(j + 1); caret = j; }
      } else if (type === "deleteContentForward") {
        var k = caret;
        while (k < raw.length && !/\d/.test(raw.charAt(k))) k++;
        if (k < raw.length) raw = raw.slice(0, k) + raw.slice(k + 1);
      }
    }

    var keep = significantBefore(raw, caret);
    /* Leading zeros removed by formatting must not push the caret right. */
    var strippedZeros = 0;
    var lead = raw.replace(/^[\s$\-]*/, "");
    var leadingZeros = lead.match(/^[0.]*/);
    if (leadingZeros) {
      var zeros = leadingZeros[0].replace(/\./g, "").length;
      var remaining = lead.slice(leadingZeros[0].length);
      if (zeros > 0 && /^\d/.test(remaining)) strippedZeros = Math.min(zeros, keep);
    }
    var formatted = formatMoney(raw);
    el.value = formatted;
    el.setAttribute("data-money-prev", formatted);
    if (document.activeElement === el && typeof el.setSelectionRange === "function") {
      var pos = positionAfter(formatted, keep - strippedZeros);
      el.setSelectionRange(pos, pos);
    }
  }

  function initMoney(el) {
    if (el.getAttribute("data-money-ready")) return;
    el.setAttribute("data-money-ready", "1");
    if (el.value !== "") el.value = formatMoney(el.value);
    el.setAttribute("data-money-prev", el.value);
    el.addEventListener("input", handleMoneyInput);
  }

  function initConfirm(form) {
    form.addEventListener("submit", function (event) {
      var message = form.getAttribute("data-confirm") || "¿Está seguro?";
      if (!window.confirm(message)) event.preventDefault();
    });
  }

  function init() {
    var money = document.querySelectorAll("input[data-money]");
    for (var i = 0; i < money.length; i++) initMoney(money[i]);
    var confirms = document.querySelectorAll("form[data-confirm]");
    for (var c = 0; c < confirms.length; c++) initConfirm(confirms[c]);
    var summary = document.querySelector(".error-summary");
    if (summary && typeof summary.focus === "function") summary.focus();
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var menu = document.querySelector("details.nav-mobile[open]");
      if (menu) {
        menu.removeAttribute("open");
        var toggle = menu.querySelector("summary");
        if (toggle) toggle.focus();
      }
    });
  }

  /* Exposed for the browser tests. */
  window.Arriendo = { formatMoney: formatMoney };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
