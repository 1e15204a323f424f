// Print and copy buttons for the recovery codes page; without JavaScript the codes are plain text to copy or print.
document.addEventListener("DOMContentLoaded", () => {
  const printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", () => window.print());
  }
  const copyButton = document.querySelector("[data-copy]");
  if (copyButton && navigator.clipboard) {
    copyButton.hidden = false;
    copyButton.addEventListener("click", async () => {
      const list = document.getElementById(copyButton.dataset.copy);
      const codes = Array.from(list.querySelectorAll("code"), (code) => code.textContent).join("\n");
      await navigator.clipboard.writeText(codes);
      copyButton.textContent = copyButton.dataset.copied;
    });
  }
});
