// Progressive enhancement only: every feature below has a no-JavaScript fallback.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-copy]")) {
    const input = document.querySelector(button.dataset.copy);
    const status = button.parentElement.querySelector(".copy-status");
    if (!input || !navigator.clipboard) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(input.value);
        status.textContent = button.dataset.done || "已复制";
      } catch {
        input.select();
      }
    });
  }
});

// Follow / unfollow in place; without JavaScript the form posts and the page reloads.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-follow]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const action = form.querySelector("input[name=action]");
  button.disabled = true;
  try {
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    const data = await response.json();
    if (!response.ok) {
      form.querySelector(".follow-status").textContent = data.error || "";
      return;
    }
    action.value = data.following ? "unfollow" : "follow";
    button.textContent = data.following ? form.dataset.labelUnfollow : form.dataset.labelFollow;
    button.classList.toggle("secondary", data.following);
    button.setAttribute("aria-pressed", String(data.following));
    const card = form.closest(".author-card");
    const count = card && card.querySelector("[data-follower-count]");
    if (count) count.textContent = data.follower_count;
  } catch {
    form.submit();
  } finally {
    button.disabled = false;
  }
});

// 顶 in place, and share beacons for WeChat (QR opened) and copy link.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-like]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  const button = form.querySelector("button");
  try {
    const response = await fetch(form.getAttribute("action"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.redirected || response.status === 403) { window.location = response.url; return; }
    const data = await response.json();
    if (!response.ok) return;
    button.setAttribute("aria-pressed", String(data.liked));
    button.classList.toggle("secondary", !data.liked);
    form.querySelector("[data-like-count]").textContent = data.count;
  } catch { form.submit(); }
});
function shareBeacon(group, target) {
  const url = group && group.dataset.shareBeacon;
  if (!url || !navigator.sendBeacon) return;
  const body = new FormData();
  body.append("target", target);
  navigator.sendBeacon(url, body);
}
document.addEventListener("toggle", (event) => {
  const details = event.target;
  if (details.classList && details.classList.contains("share-wechat") && details.open) {
    shareBeacon(details.closest("[data-share-beacon]"), "wechat");
  }
}, true);
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (button) shareBeacon(button.closest("[data-share-beacon]"), "link");
});
