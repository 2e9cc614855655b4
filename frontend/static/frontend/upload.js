// Drag-and-drop / file-picker upload of many images, one request per file with its own progress bar.
import { apiFetch, uploadWithProgress } from "./api.js";

const PARALLEL_UPLOADS = 3;

function uploadRow(label) {
  const row = document.createElement("li");
  const name = document.createElement("span");
  name.textContent = label;
  const bar = document.createElement("progress");
  bar.max = 100;
  bar.value = 0;
  bar.setAttribute("aria-label", `Upload progress for ${label}`);
  const result = document.createElement("span");
  result.className = "upload-result";
  result.textContent = "waiting";
  row.append(name, bar, result);
  return { row, bar, result };
}

/** Browsers call every pasted bitmap "image.png": give each its own, readable name. */
function pastedName(file, index) {
  if (file.name && file.name !== "image.png") return file;
  const time = new Date().toTimeString().slice(0, 8).replaceAll(":", "");
  const extension = file.type.split("/")[1] ?? "png";
  return new File([file], `pasted-${time}-${index + 1}.${extension}`, { type: file.type });
}

/**
 * Wire the drop zone `root` (containing an <input type=file multiple> and a <ul class=uploads>).
 * `fieldName` is the multipart field the API expects; `onUploaded` runs after each accepted file.
 */
export function initUploads(root, { uploadUrl, fieldName, onUploaded, announce }) {
  const input = root.querySelector("input[type=file]");
  const list = root.querySelector(".uploads");
  const queue = [];
  let active = 0;

  function pump() {
    while (active < PARALLEL_UPLOADS && queue.length) {
      const { file, ui } = queue.shift();
      active += 1;
      const form = new FormData();
      form.append(fieldName, file, file.name);
      ui.result.textContent = "uploading";
      uploadWithProgress(uploadUrl, form, (fraction) => { ui.bar.value = Math.round(fraction * 100); })
        .then((body) => {
          ui.bar.value = 100;
          ui.result.textContent = "uploaded";
          onUploaded(body);
        })
        .catch((error) => {
          ui.result.textContent = `failed: ${error.message}`;
          ui.result.classList.add("error");
          announce(`${ui.name} was not uploaded: ${error.message}`);
        })
        .finally(() => {
          active -= 1;
          pump();
        });
    }
  }

  function addFiles(files) {
    const images = Array.from(files);
    for (const file of images) {
      const ui = { ...uploadRow(file.name), name: file.name };
      list.append(ui.row);
      queue.push({ file, ui });
    }
    if (images.length) announce(`Uploading ${images.length} file${images.length > 1 ? "s" : ""}.`);
    pump();
  }

  input.addEventListener("change", () => {
    addFiles(input.files);
    input.value = "";
  });
  for (const type of ["dragenter", "dragover"]) {
    root.addEventListener(type, (event) => {
      event.preventDefault();
      root.classList.add("dragover");
    });
  }
  root.addEventListener("dragleave", (event) => {
    if (!root.contains(event.relatedTarget)) root.classList.remove("dragover");
  });
  root.addEventListener("drop", (event) => {
    event.preventDefault();
    root.classList.remove("dragover");
    addFiles(event.dataTransfer.files);
  });
  // Pasting images (copied from a browser, a photo agency's site or a screenshot) uploads them.
  document.addEventListener("paste", (event) => {
    if (event.target.closest?.("input, textarea, [contenteditable]")) return; // typing
    const files = Array.from(event.clipboardData?.files ?? []);
    if (!files.length) return;
    event.preventDefault();
    addFiles(files.map(pastedName));
  });
  // A file dropped beside the zone would make the browser open it and leave the page.
  for (const type of ["dragover", "drop"]) {
    window.addEventListener(type, (event) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    });
  }
  // Leaving mid-upload would lose the files still on their way: ask first.
  window.addEventListener("beforeunload", (event) => {
    if (active || queue.length) event.preventDefault();
  });
}

/**
 * Wire the "add from a web address" form: the server downloads the image (`urlsUrl`, the API's
 * upload-urls endpoint); its row in `list` says how it went, as a dropped file's does.
 */
export function initUrlUpload(form, list, { urlsUrl, onUploaded, announce }) {
  const input = form.querySelector("input[type=url]");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const url = input.value.trim();
    const ui = uploadRow(url);
    ui.bar.removeAttribute("value"); // indeterminate: the server is downloading it
    ui.result.textContent = "downloading";
    list.append(ui.row);
    announce(`Adding ${url}.`);
    try {
      const body = await apiFetch(urlsUrl, { method: "POST", json: { urls: [url] } });
      ui.bar.value = 100;
      ui.result.textContent = "uploaded";
      input.value = "";
      onUploaded(body);
    } catch (error) {
      ui.bar.value = 0;
      ui.result.textContent = `failed: ${error.message}`;
      ui.result.classList.add("error");
      announce(`${url} was not added: ${error.message}`);
    }
  });
}
