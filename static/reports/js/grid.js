/* The secretary's grid: each cell is saved when the user leaves it, one field per request, with the row's version
   so a concurrent change is reported instead of overwritten.

   The page sends each row lean (reports/execution/grid_html.py): its values, and the controls, labels, token, buttons and link
   once in <template id="grid-parts">. This script first builds every row's cells from those parts. Without it a lean
   row reads as text and has a link that brings the page back with that row complete, a plain form. */
(function () {
  "use strict";

  var live = document.querySelector("[data-grid-live]");
  var parts = document.getElementById("grid-parts");

  function part(name) {
    var node = parts.content.querySelector('[data-part="' + name + '"]').cloneNode(true);
    node.removeAttribute("data-part");
    return node;
  }

  function forMeasure(url, pk) {
    return url.replace("/0/", "/" + pk + "/");  // the parts' links name measure 0
  }

  function control(node, id, pk, value) {
    node.id = id;
    node.setAttribute("form", "row-" + pk);
    node.value = value;
    return node;
  }

  function labelFor(label, node) {
    label.htmlFor = node.id;
    node.parentNode.insertBefore(label, node);
  }

  function complete(row) {
    var status = row.querySelector("td[data-status]");
    if (!status) { return; }  // already complete: opened without the script, or a refused save
    var pk = row.id.slice("measure-".length);
    var described = "measure-title-" + pk;

    function value(name) {
      var holder = row.querySelector('[data-value="' + name + '"]');
      if (!holder) { return ""; }
      holder.remove();
      return holder.textContent;
    }

    var actions = row.lastElementChild;
    var form = part("form");
    form.id = "row-" + pk;
    form.action = forMeasure(form.getAttribute("action"), pk);
    var version = document.createElement("input");
    version.type = "hidden";
    version.name = "version";
    version.value = row.dataset.version;
    version.setAttribute("data-version", "");
    form.insertBefore(version, form.querySelector("button"));
    if (row.hasAttribute("data-submit")) { form.appendChild(part("submit")); }
    var link = part("entry");
    link.href = forMeasure(link.getAttribute("href"), pk);
    link.setAttribute("aria-describedby", described);
    actions.insertBefore(link, actions.firstChild);
    actions.insertBefore(form, link);

    var select = control(part("options"), "status-" + pk, pk, status.dataset.status);
    select.setAttribute("aria-describedby", described);
    status.insertBefore(select, status.firstChild);
    status.insertBefore(document.createTextNode(" "), select.nextSibling);
    labelFor(part("status"), select);

    var text = status.nextElementSibling;
    var narrative = control(part("text"), "narrative-" + pk, pk, value("narrative"));
    narrative.setAttribute("aria-describedby", described);
    var reasons = part("reasons");
    reasons.open = row.hasAttribute("data-open");
    var boxes = reasons.querySelectorAll("textarea");
    var labels = reasons.querySelectorAll("label");
    control(boxes[0], "reasons-" + pk, pk, value("non_execution_reasons"));
    control(boxes[1], "next-steps-" + pk, pk, value("next_steps"));
    labels[0].htmlFor = boxes[0].id;
    labels[1].htmlFor = boxes[1].id;
    text.insertBefore(reasons, text.firstChild);
    text.insertBefore(narrative, reasons);
    labelFor(part("narrative"), narrative);
    var echo = text.querySelector("[data-sentence] [data-echo]");
    if (echo) { echo.textContent = narrative.value.trim(); }
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
