// Crop previews (what each slot will show) and the crop editor (Cropper.js at a locked ratio).

/** "16:9" -> 1.777…; "free" or anything unparsable -> NaN, which Cropper treats as a free ratio. */
export function ratioValue(ratio) {
  const match = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(ratio);
  return match ? Number(match[1]) / Number(match[2]) : NaN;
}

export function percent(value) {
  return `${(value * 100).toFixed(4)}%`;
}

/** Fills `frame` (a positioned box) with the part of the image inside `box` = [x, y, w, h] px. */
export function showBox(frame, imageUrl, [x, y, w, h], [width, height], altText) {
  frame.style.aspectRatio = `${w} / ${h}`;
  let image = frame.querySelector("img");
  if (!image) {
    image = document.createElement("img");
    frame.append(image);
  }
  if (image.getAttribute("src") !== imageUrl) image.src = imageUrl;
  image.alt = altText;
  image.style.width = percent(width / w);
  image.style.height = percent(height / h);
  image.style.left = percent(-x / w);
  image.style.top = percent(-y / h);
}

/**
 * The `boxes` ([x, y, w, h] px: faces, blocks of text) `box` cuts: keeps part of but not the
 * whole of, counted as the server's crop reasons count them ("1 face cut").
 */
function boxesCut([x, y, w, h], boxes) {
  return boxes.filter(([fx, fy, fw, fh]) => {
    const across = Math.min(x + w, fx + fw) - Math.max(x, fx);
    const down = Math.min(y + h, fy + fh) - Math.max(y, fy);
    const share = across > 0 && down > 0 ? (across * down) / (fw * fh) : 0;
    return share > 0 && share < 0.999;
  });
}

/** [w, h] of the largest frame of `ratio` ("16:9"; "free": any shape) inside `[width, height]`. */
function largestFrame(ratio, [width, height]) {
  const value = ratioValue(ratio);
  if (!(value > 0)) return [width, height];
  const w = Math.min(width, height * value);
  return [w, w / value];
}

/** A crop shows a sliver of a photo of a collage when it cuts across the photo and shows less of
 * it than this share of its width or height (assessment.collages.SLIVER_SHARE). */
const SLIVER_SHARE = 0.3;

/**
 * What crop `box` = [x, y, w, h] px shows amiss of the collage `panels` (its photos' boxes), as
 * the server's crop reasons say: `slivers`, photos it shows only a sliver of; `gutters`, its sides
 * that lie in no photo it shows (a strip of the gutter between photos along them).
 */
function collageFlaws([x, y, w, h], panels) {
  const shown = panels
    .map(([px, py, pw, ph]) => ({
      panel: [px, py, pw, ph],
      across: Math.min(x + w, px + pw) - Math.max(x, px),
      down: Math.min(y + h, py + ph) - Math.max(y, py),
    }))
    .filter(({ across, down }) => across > 0 && down > 0);
  const slivers = shown.filter(({ panel: [, , pw, ph], across, down }) =>
    (across < pw && across < SLIVER_SHARE * w) || (down < ph && down < SLIVER_SHARE * h)).length;
  const inside = (value, spans) => spans.some(([start, stop]) => start <= value && value < stop);
  const columns = shown.map(({ panel: [px, , pw] }) => [px, px + pw]);
  const rows = shown.map(({ panel: [, py, , ph] }) => [py, py + ph]);
  const gutters = shown.length
    ? [[x, columns], [x + w - 1, columns], [y, rows], [y + h - 1, rows]]
      .filter(([value, spans]) => !inside(value, spans)).length
    : 0;
  return { slivers, gutters };
}

/**
 * The warning for a crop `box` of `ratio` of `candidate` with its faces, the photos of its
 * collage and the text laid over it: `text` for the preview, `hint` to add in the editor. A face too large for any frame of
 * the ratio inside the picture (its bars left out) can only be cut across, as the proposal does,
 * so that cut is named, not called a fault to fix.
 */
function cutWarning(box, candidate, ratio) {
  const picture = candidate.contentBox ?? [0, 0, candidate.width, candidate.height];
  const [largestW, largestH] = largestFrame(ratio, picture.slice(2));
  const cut = boxesCut(box, candidate.faces);
  const fixable = cut.filter(([, , w, h]) => w <= largestW + 0.5 && h <= largestH + 0.5).length;
  if (fixable) {
    return {
      text: `Cuts ${fixable === 1 ? "a face" : `${fixable} faces`}`,
      hint: "move or resize the frame to keep it whole, or leave it out.",
    };
  }
  if (cut.length) {
    return {
      text: `Cut across ${cut.length === 1 ? "a face" : `${cut.length} faces`} too large for any ${ratio} frame`,
      hint: "no frame of this shape can keep it whole.",
    };
  }
  const { slivers, gutters } = collageFlaws(box, candidate.panels ?? []);
  if (slivers) {
    return {
      text: "Shows a sliver of another photo of the collage",
      hint: "move or resize the frame to show whole photos, or fair shares of them.",
    };
  }
  if (gutters) {
    return {
      text: "Shows a strip of the gutter between photos",
      hint: "move the frame's edge into a photo.",
    };
  }
  if (boxesCut(box, candidate.overlays ?? []).length) {
    return {
      text: "Cuts through text laid over the picture",
      hint: "move or resize the frame to leave the caption or logo out, or keep it whole.",
    };
  }
  return { text: "", hint: "" };
}

/** Whether a crop `width` px wide looks soft in its slot, shown `slotWidth` px wide: it holds
 * the detail of width / `detailScale` (k > 1 for a photo enlarged, or soft at full size). */
function softInSlot(width, slotWidth, detailScale) {
  return Boolean(slotWidth) && width / detailScale < slotWidth;
}

function previewSizeWarning(width, slotWidth, detailScale) {
  if (detailScale > 1) {
    return `${width} px wide with the detail of ${Math.round(width / detailScale)} (enlarged or soft photo) for a ${slotWidth} px slot: it will look soft`;
  }
  return `${width} px wide for a ${slotWidth} px slot: it will look soft`;
}

/** Renders one preview per slot ratio for `candidate` into `container`; `slotWidths`: ratio ->
 * the width in pixels that slot is shown at. */
export function renderCropPreviews(container, template, candidate, { onEdit, onReset, slotWidths = {} }) {
  const key = JSON.stringify([candidate.id, candidate.crops, candidate.faces, slotWidths]);
  if (container.dataset.key === key) return;
  container.dataset.key = key;
  const figures = candidate.crops.map((crop) => {
    const figure = template.content.firstElementChild.cloneNode(true);
    figure.dataset.ratio = crop.ratio;
    figure.querySelector(".ratio").textContent = crop.ratio;
    figure.querySelector(".source").textContent = crop.source === "editor" ? "edited" : "proposed";
    const warning = figure.querySelector(".crop-warning");
    warning.textContent = cutWarning(crop.box, candidate, crop.ratio).text;
    warning.hidden = !warning.textContent;
    const small = figure.querySelector(".size-warning");
    const slotWidth = slotWidths[crop.ratio];
    small.hidden = !softInSlot(crop.box[2], slotWidth, candidate.detailScale);
    small.textContent = previewSizeWarning(crop.box[2], slotWidth, candidate.detailScale);
    figure.querySelector(".crop-reasons").textContent = (crop.reasons ?? []).join(" · ");
    showBox(figure.querySelector(".crop-window"), candidate.imageUrl, crop.box,
      [candidate.width, candidate.height], `${crop.ratio} crop of ${candidate.filename}`);
    const edit = figure.querySelector("button.edit-crop");
    edit.setAttribute("aria-label", `Edit the ${crop.ratio} crop`);
    edit.addEventListener("click", () => onEdit(candidate, crop, slotWidth));
    const reset = figure.querySelector("button.reset-crop");
    reset.hidden = crop.source !== "editor";
    reset.setAttribute("aria-label", `Reset the ${crop.ratio} crop to the proposal`);
    reset.addEventListener("click", () => onReset(candidate, crop));
    const download = figure.querySelector("a.download-crop");
    download.href = crop.image_url;
    download.setAttribute("aria-label", `Download the ${crop.ratio} crop`);
    return figure;
  });
  // Keep keyboard focus on the same slot's button when the previews are rebuilt after a save.
  const active = document.activeElement;
  const ratio = container.contains(active) ? active.closest("figure").dataset.ratio : null;
  container.replaceChildren(...figures);
  if (ratio) container.querySelector(`figure[data-ratio="${ratio}"] button.edit-crop`)?.focus();
}

const KEY_STEP_FRACTION = 0.01;

/** The modal crop editor; `onSave(candidate, crop, box)` persists the edited box. */
export class CropEditor {
  constructor(dialog, { onSave, onReset }) {
    this.dialog = dialog;
    this.stage = dialog.querySelector(".crop-stage");
    this.readout = dialog.querySelector(".box-readout");
    this.warning = dialog.querySelector(".crop-warning");
    this.sizeWarning = dialog.querySelector(".size-warning");
    this.title = dialog.querySelector(".crop-editor-title");
    this.onSave = onSave;
    this.onReset = onReset;
    this.cropper = null;
    dialog.querySelector("button.save-crop").addEventListener("click", () => this.save());
    dialog.querySelector("button.reset-crop").addEventListener("click", () => this.reset());
    dialog.querySelector("button.cancel-crop").addEventListener("click", () => dialog.close());
    dialog.addEventListener("close", () => this.destroy());
    this.stage.addEventListener("keydown", (event) => this.nudge(event));
  }

  /** `slotWidth`: the width in pixels the slot is shown at (a narrower frame is flagged). */
  open(candidate, crop, slotWidth) {
    this.candidate = candidate;
    this.crop = crop;
    this.sizeWarning.textContent = candidate.detailScale > 1
      ? `Less detail than the ${slotWidth} px the slot is shown at (the photo is enlarged or soft at full size): it will look soft.`
      : `Narrower than the ${slotWidth} px the slot is shown at: it will be enlarged and look soft.`;
    this.slotWidth = slotWidth;
    this.title.textContent = `Edit the ${crop.ratio} crop of ${candidate.filename}`;
    this.dialog.querySelector("button.reset-crop").hidden = crop.source !== "editor";
    const image = document.createElement("img");
    image.alt = `${candidate.filename}, full size`;
    image.src = candidate.imageUrl;
    this.stage.replaceChildren(image);
    this.dialog.showModal();
    const [x, y, width, height] = crop.box;
    this.cropper = new window.Cropper(image, {
      aspectRatio: ratioValue(crop.ratio),
      viewMode: 1,
      dragMode: "none",
      autoCropArea: 1,
      movable: false,
      rotatable: false,
      scalable: false,
      zoomable: false,
      background: false,
      checkOrientation: false, // the browser already shows the image upright, as the API measures it
      data: { x, y, width, height },
      ready: () => {
        this.dialog.dataset.ready = "true";
        this.stage.focus();
      },
      crop: () => this.showReadout(),
    });
  }

  currentBox() {
    const { x, y, width, height } = this.cropper.getData(true);
    return [x, y, width, height];
  }

  showReadout() {
    const box = this.currentBox();
    const [x, y, w, h] = box;
    this.readout.textContent = `x ${x}, y ${y}, ${w} × ${h} px`;
    const { text, hint } = cutWarning(box, this.candidate, this.crop.ratio);
    if (text !== this.warning.dataset.text) { // announce a change, not every pixel moved
      this.warning.dataset.text = text;
      this.warning.textContent = text && `${text}: ${hint}`;
    }
    this.warning.hidden = !text;
    this.sizeWarning.hidden = !softInSlot(w, this.slotWidth, this.candidate.detailScale);
  }

  /** Arrow keys move the crop (Shift: 10× further); + and − grow or shrink it around its centre. */
  nudge(event) {
    if (!this.cropper) return;
    const data = this.cropper.getData();
    const step = Math.max(1, Math.round(this.candidate.width * KEY_STEP_FRACTION)) * (event.shiftKey ? 10 : 1);
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      const [dx, dy] = moves[event.key];
      this.cropper.setData({ x: data.x + dx, y: data.y + dy });
    } else if (event.key === "+" || event.key === "=" || event.key === "-") {
      const factor = event.key === "-" ? 0.95 : 1 / 0.95;
      const width = data.width * factor;
      const height = data.height * factor;
      this.cropper.setData({
        x: data.x - (width - data.width) / 2, y: data.y - (height - data.height) / 2, width, height,
      });
    } else {
      return;
    }
    event.preventDefault();
  }

  // Close first, so focus returns to the slot's "Edit crop" button before the previews refresh.
  async save() {
    const { candidate, crop } = this;
    const box = this.currentBox();
    this.dialog.close();
    await this.onSave(candidate, crop, box);
  }

  async reset() {
    const { candidate, crop } = this;
    this.dialog.close();
    await this.onReset(candidate, crop);
  }

  destroy() {
    this.cropper?.destroy();
    this.cropper = null;
    delete this.dialog.dataset.ready;
    this.stage.replaceChildren();
  }
}
