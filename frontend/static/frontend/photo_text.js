// The credit, caption and alt text of the candidate whose crops are shown. A poll refreshes the
// fields from the server, but never one the editor has changed and not saved yet.

const FIELDS = { credit: "credit", caption: "caption", alt_text: "altText" };

export class PhotoTextForm {
  /** `form` holds one input or textarea per API field name and the "no alt text" note. */
  constructor(form, { onSave }) {
    this.form = form;
    this.missing = form.querySelector(".missing-alt-text");
    this.candidateId = null;
    this.saved = {}; // API field -> the value last shown from the server
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const texts = Object.fromEntries(Object.keys(FIELDS).map((name) => [name, form.elements[name].value]));
      onSave(this.candidateId, texts);
    });
  }

  render(candidate) {
    const other = candidate.id !== this.candidateId;
    this.candidateId = candidate.id;
    for (const [name, key] of Object.entries(FIELDS)) {
      const field = this.form.elements[name];
      const edited = !other && field.value !== this.saved[name];
      if (!edited) field.value = candidate[key];
      this.saved[name] = candidate[key];
    }
    this.missing.hidden = Boolean(candidate.altText);
  }
}
