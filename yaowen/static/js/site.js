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

// 顶 in place, and share beacons for WeChat (QR opened) and copy link. The form names the
// state the reader wants (liked = 1 or 0), never "toggle", so a double click or a retry
// cannot undo the like; after each answer it asks for the opposite of what the server says.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-like]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  const button = form.querySelector("button");
  const wanted = form.querySelector("input[name=liked]");
  try {
    const response = await fetch(form.getAttribute("action"), {
      method: "POST", body: new FormData(form), credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.redirected || response.status === 403) { window.location = response.url; return; }
    const data = await response.json();
    if (!response.ok) return;
    if (wanted) wanted.value = data.liked ? "0" : "1";
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

// Feed: "加载更多" appends the next page in place, and does so by itself when it scrolls
// into view; without JavaScript it is a link to the next page.
async function feedMore(link) {
  if (link.dataset.loading) return;
  link.dataset.loading = "1";
  const list = link.closest("[data-feed]");
  const slot = link.closest(".feed-more-slot");
  try {
    const url = new URL(link.href);
    url.searchParams.set("fragment", "1");
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    const html = await response.text();
    slot.remove();
    list.insertAdjacentHTML("beforeend", html);
    feedWatch();
  } catch {
    delete link.dataset.loading;
  }
}

function feedWatch() {
  const link = document.querySelector("a[data-feed-more]");
  if (!link || !("IntersectionObserver" in window)) return;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((entry) => entry.isIntersecting)) {
      observer.disconnect();
      feedMore(link);
    }
  });
  observer.observe(link);
}

document.addEventListener("DOMContentLoaded", feedWatch);
document.addEventListener("click", (event) => {
  const link = event.target.closest("a[data-feed-more]");
  if (!link || !window.fetch) return;
  event.preventDefault();
  feedMore(link);
});

// 不感兴趣 in place: the item gives way to a note; without JavaScript the form posts.
document.addEventListener("submit", async (event) => {
  const form = event.target.closest("form[data-hide]");
  if (!form || !window.fetch) return;
  event.preventDefault();
  try {
    const response = await fetch(form.getAttribute("action"), {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(String(response.status));
    const item = form.closest(".feed-item");
    const note = document.createElement("p");
    note.className = "why";
    note.setAttribute("role", "status");
    note.tabIndex = -1;
    note.textContent = item.closest("[data-feed]").dataset.hiddenText || "将减少这类内容";
    item.replaceChildren(note);
    note.focus();
  } catch {
    form.submit();
  }
});
