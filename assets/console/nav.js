/* global document, history, location */
// Moving between pages, and the status line. The page renderer is registered by app.js (the entry module), so the
// pages never import the entry itself (a second copy of it would start the console twice).
let renderer = async () => {};

export function setRenderer(fn) {
  renderer = fn;
}

/**
 * A message set just before a render stays while the user remains on that page (a re-render after revealing an
 * ID keeps the access code shown); the next page starts without it.
 */
let fresh = false;
let flashPath = null;

export function render(options) {
  if (fresh) flashPath = location.pathname;
  else if (location.pathname !== flashPath) document.getElementById('flash').textContent = '';
  fresh = false;
  return renderer(options || {});
}

export function navigate(path, replace) {
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  return render();
}

export function flash(text) {
  const box = document.getElementById('flash');
  box.textContent = text;
  fresh = true;
}
