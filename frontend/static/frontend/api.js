// Talking to CoverApp's REST API with the browser's session (CSRF token from the cookie).

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

/** An API answer that was not 2xx; `message` is the API's own explanation when it gave one. */
export class ApiError extends Error {
  constructor(status, body) {
    super(describeError(status, body));
    this.status = status;
    this.body = body;
  }
}

function describeError(status, body) {
  if (body && typeof body === "object") {
    if (typeof body.detail === "string") return body.detail;
    const parts = Object.entries(body).map(([field, value]) => {
      const text = Array.isArray(value) ? value.join(" ") : String(value);
      return field === "non_field_errors" ? text : `${field}: ${text}`;
    });
    if (parts.length) return parts.join("; ");
  }
  if (typeof body === "string" && body.trim() && body.length < 300) return body.trim();
  return `The server answered ${status}.`;
}

function parseBody(text) {
  try {
    return text ? JSON.parse(text) : null;
  } catch {
    return text;
  }
}

/** JSON request; resolves to the parsed body, rejects with ApiError. */
export async function apiFetch(url, { method = "GET", json } = {}) {
  const headers = { Accept: "application/json" };
  if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
  if (json !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    credentials: "same-origin",
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  const body = parseBody(await response.text());
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** All the results of a paginated list endpoint, following its `next` links. */
export async function apiFetchAll(url) {
  const results = [];
  for (let next = url; next; ) {
    const page = await apiFetch(next);
    results.push(...page.results);
    next = page.next;
  }
  return results;
}

/**
 * Multipart POST through XMLHttpRequest, because fetch cannot report upload progress.
 * onProgress receives a fraction in [0, 1].
 */
export function uploadWithProgress(url, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.setRequestHeader("Accept", "application/json");
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      const body = parseBody(request.responseText);
      if (request.status >= 200 && request.status < 300) resolve(body);
      else reject(new ApiError(request.status, body));
    });
    request.addEventListener("error", () => reject(new ApiError(0, "The upload was interrupted: check the connection and try again.")));
    request.send(formData);
  });
}
