/* The secretary's grid: each cell is saved when the user leaves it, one field per request, with the row's version
   so a concurrent change is reported instead of overwritten.

   The page sends each row lean (reports/grid_html.py): its values, with the labels, status options, token and buttons
   once in <template id="grid-parts">. This script first completes every row from those parts. Without it the lean
   rows stay disabled and each has a link that brings the page back with that row complete, a plain form. */
(function () {
  "use strict";

  var live = document.querySelector("[data-grid-live]");
  var parts = document.getElementById("grid-parts");

  function part(name) {
    var node = parts.content.querySelector('[data-part="' + name + '"]').cloneNode(true);
    node.removeAttribute("data-part");
    return node;
  }

  function moveChildren(from, to) {
    while (from.firstChild) { to.appendChild(from.firstChild); }
  }

  function labelled(row, selector, id, labelPart, described) {
    var control = row.querySelector(selector);
    control.id = id;
    if (described) { control.setAttribute("aria-describedby", described); }
    var label = part(labelPart);
    label.htmlFor = id;
    control.parentNode.insertBefore(label, control);
    return control;
  }

  function complete(row) {
    var pk = row.id.slice("measure-".length);
    var form = document.getElementById("row-" + pk);
    var select = row.querySelector("select[name=status][disabled]");
    if (!select || !form) { return; }  // already complete: opened without the script, or a refused save
    var described = "measure-title-" + pk;
    var status = select.value;
    select.textContent = "";
    moveChildren(part("options"), select);
    select.value = status;
    labelled(row, "select[name=status]", "status-" + pk, "status", described);
    var narrative = labelled(row, "textarea[name=narrative]", "narrative-" + pk, "narrative", described);
    labelled(row, "textarea[name=non_execution_reasons]", "reasons-" + pk, "non_execution_reasons");
    labelled(row, "textarea[name=next_steps]", "next-steps-" + pk, "next_steps");
    row.querySelector("[data-reasons] summary").textContent = part("summary").textContent;
    var echo = row.querySelector("[data-sentence] [data-echo]");
    if (echo) { echo.textContent = narrative.value.trim(); }
    var version = document.createElement("input");
    version.type = "hidden";
    version.name = "version";
    version.value = form.dataset.version;
    version.setAttribute("data-version", "");
    moveChildren(part("form"), form);
    form.insertBefore(version, form.firstChild.nextSibling);
    if (form.hasAttribute("data-submittable")) { form.appendChild(part("submit")); }
    row.querySelectorAll("[data-cell][disabled]").forEach(function (cell) { cell.disabled = false; });
  }

  if (parts) { document.querySelectorAll(".execution-grid tr[id^='measure-']").forEach(complete); }

  function announce(text) {
    if (live) { live.textContent = text; }
  }

  function rowParts(cell) {
    var form = document.getElementById(cell.getAttribute("form"));
    var row = form ? form.closest("tr") : null;
    return { form: form, row: row };
  }

  function showError(cell, message) {
    var holder = cell.parentNode.querySelector(".cell-error");
    if (!holder) {
      holder = document.createElement("span");
      holder.className = "cell-error";
      holder.setAttribute("role", "alert");
      cell.parentNode.appendChild(holder);
    }
    holder.textContent = message;
  }

  function clearError(cell) {
    var holder = cell.parentNode.querySelector(".cell-error");
    if (holder) { holder.remove(); }
  }

  function save(cell) {
    var parts = rowParts(cell);
    if (!parts.form) { return; }
    if (cell.value === cell.dataset.saved) { return; }
    var version = parts.form.querySelector("[data-version]");
    var body = new FormData();
    body.append("csrfmiddlewaretoken", parts.form.querySelector("[name=csrfmiddlewaretoken]").value);
    body.append("version", version.value);
    body.append(cell.name, cell.value);
    if (version.value === "0" && cell.name !== "status") {
      // A new entry needs its status; send the row's status along with the first text.
      var status = parts.row.querySelector("select[name=status]");
      if (status) { body.append("status", status.value); }
    }
    cell.setAttribute("data-cell-state", "saving");
    fetch(parts.form.action, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (result) {
      if (!result.ok) {
        cell.setAttribute("data-cell-state", "error");
        showError(cell, result.data.error || "Error");
        announce(result.data.error || "");
        return;
      }
      clearError(cell);
      cell.dataset.saved = cell.value;
      cell.setAttribute("data-cell-state", "saved");
      version.value = result.data.version;
      var sentence = parts.row.querySelector("[data-sentence]");
      if (sentence) { sentence.textContent = result.data.sentence; }
      var state = parts.row.querySelector("[data-state]");
      if (state) {
        state.textContent = "";
        var badge = document.createElement("span");
        badge.className = "badge entry-" + result.data.state;
        badge.textContent = result.data.state_label;
        state.appendChild(badge);
      }
      announce(result.data.sentence);
    }).catch(function () {
      cell.setAttribute("data-cell-state", "error");
      showError(cell, cell.closest("table").dataset.offline || "Not saved: the connection failed. Use the Save button.");
    });
  }

  // Form 1 asks for the reasons and the next steps of a measure not fully done: open them when such a status is chosen.
  document.querySelectorAll("select[name=status][data-cell]").forEach(function (select) {
    select.addEventListener("change", function () {
      var details = select.closest("tr").querySelector("[data-reasons]");
      if (details && (select.value === "partially_done" || select.value === "not_done")) { details.open = true; }
    });
  });

  document.querySelectorAll("[data-cell]").forEach(function (cell) {
    cell.dataset.saved = cell.value;
    cell.addEventListener("change", function () { save(cell); });
    cell.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        save(cell);
      }
    });
  });
}());
