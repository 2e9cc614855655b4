// The subject mark: the editor clicks where the story's subject is (or moves the mark with the
// keyboard and presses Enter), and every slot's crop is proposed again around it.

import { percent } from "./crops.js";

const KEY_STEP_FRACTION = 0.02; // of the photo's width or height per arrow key (Shift: 5×)

export class SubjectMarker {
  /** `root` holds the stage (photo + marker), the readout and the Clear button. */
  constructor(root, { onMark, onClear }) {
    this.stage = root.querySelector(".subject-stage");
    this.image = this.stage.querySelector("img");
    this.marker = this.stage.querySelector(".subject-marker");
    this.focalMarker = this.stage.querySelector(".focal-marker");
    this.readout = root.querySelector(".subject-readout");
    this.clearButton = root.querySelector("button.clear-subject");
    this.candidate = null;
    this.point = null; // [x, y] in pixels of the photo: the saved mark, or a keyboard move
    this.stage.addEventListener("click", (event) => this.clicked(event));
    this.stage.addEventListener("keydown", (event) => this.key(event));
    this.clearButton.addEventListener("click", () => {
      this.stage.focus(); // the button hides once the mark is gone
      onClear(this.candidate);
    });
    this.onMark = onMark;
  }

  render(candidate) {
    const changed = candidate.id !== this.candidate?.id
      || JSON.stringify(candidate.focus) !== JSON.stringify(this.candidate?.focus);
    this.candidate = candidate;
    if (this.image.getAttribute("src") !== candidate.imageUrl) this.image.src = candidate.imageUrl;
    this.image.alt = `${candidate.filename}: click where its subject is`;
    if (changed) this.point = candidate.focus;
    this.clearButton.hidden = !candidate.focus;
    this.show();
  }

  show() {
    const { point, candidate } = this;
    this.marker.hidden = !point;
    if (point) {
      this.marker.style.left = percent(point[0] / candidate.width);
      this.marker.style.top = percent(point[1] / candidate.height);
    }
    const saved = JSON.stringify(point) === JSON.stringify(candidate.focus);
    // Unmarked, the CMS's focal point comes from the model (faces, else the subject's centre).
    const focal = !point && candidate.focalPoint;
    this.focalMarker.hidden = !focal;
    if (focal) {
      this.focalMarker.style.left = percent(focal[0]);
      this.focalMarker.style.top = percent(focal[1]);
    }
    const share = (value) => `${Math.round(value * 100)}%`;
    const across = focal ? ` Focal point for the CMS: ${share(focal[0])} across, ${share(focal[1])} down.` : "";
    if (!point) this.readout.textContent = `No subject marked: the crops frame what the model found.${across}`;
    else if (saved) this.readout.textContent = `Subject marked at x ${Math.round(point[0])}, y ${Math.round(point[1])}.`;
    else this.readout.textContent = `Press Enter to mark the subject at x ${Math.round(point[0])}, y ${Math.round(point[1])}.`;
  }

  clamp([x, y]) {
    const { width, height } = this.candidate;
    return [Math.min(Math.max(x, 0), width - 1), Math.min(Math.max(y, 0), height - 1)];
  }

  clicked(event) {
    const rect = this.image.getBoundingClientRect();
    if (!rect.width || !rect.height) return;
    const { width, height } = this.candidate;
    this.point = this.clamp([
      ((event.clientX - rect.left) / rect.width) * width,
      ((event.clientY - rect.top) / rect.height) * height,
    ]);
    this.show();
    this.onMark(this.candidate, this.point.map((v) => Math.round(v)));
  }

  /** Arrow keys move the mark (Shift: 5× further), Enter or Space saves it. */
  key(event) {
    const { width, height } = this.candidate;
    const scale = event.shiftKey ? 5 : 1;
    const dx = Math.max(1, width * KEY_STEP_FRACTION) * scale;
    const dy = Math.max(1, height * KEY_STEP_FRACTION) * scale;
    const moves = { ArrowLeft: [-dx, 0], ArrowRight: [dx, 0], ArrowUp: [0, -dy], ArrowDown: [0, dy] };
    if (moves[event.key]) {
      const [x, y] = this.point ?? [width / 2, height / 2];
      this.point = this.clamp([x + moves[event.key][0], y + moves[event.key][1]]);
      this.show();
    } else if ((event.key === "Enter" || event.key === " ") && this.point) {
      this.onMark(this.candidate, this.point.map((v) => Math.round(v)));
    } else {
      return;
    }
    event.preventDefault();
  }
}
