/* Passkeys (WebAuthn): adding one on the security page, and the second sign-in step.
 *
 * A form with data-passkey="register" or "authenticate" carries the server's options in the
 * JSON script named by data-options. On submit the browser's passkey dialog runs; its answer
 * goes into the hidden "credential" field as JSON (base64url for binary values, the shape
 * py_webauthn reads) and the form is posted. The form stays hidden where WebAuthn is missing.
 */
(function () {
  "use strict";

  function toBytes(value) {
    var base64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function descriptors(list) {
    return (list || []).map(function (item) {
      var copy = Object.assign({}, item);
      copy.id = toBytes(item.id);
      return copy;
    });
  }

  function creationOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBytes(options.challenge);
    publicKey.user = Object.assign({}, options.user, { id: toBytes(options.user.id) });
    publicKey.excludeCredentials = descriptors(options.excludeCredentials);
    return publicKey;
  }

  function requestOptions(options) {
    var publicKey = Object.assign({}, options);
    publicKey.challenge = toBytes(options.challenge);
    publicKey.allowCredentials = descriptors(options.allowCredentials);
    return publicKey;
  }

  function credentialJSON(credential) {
    var response = credential.response;
    var data = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      clientExtensionResults: credential.getClientExtensionResults
        ? credential.getClientExtensionResults()
        : {},
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (credential.authenticatorAttachment) {
      data.authenticatorAttachment = credential.authenticatorAttachment;
    }
    if (response.attestationObject) {
      data.response.attestationObject = toText(response.attestationObject);
      if (response.getTransports) data.response.transports = response.getTransports();
    } else {
      data.response.authenticatorData = toText(response.authenticatorData);
      data.response.signature = toText(response.signature);
      if (response.userHandle) data.response.userHandle = toText(response.userHandle);
    }
    return JSON.stringify(data);
  }

  function setUp(form) {
    var status = form.querySelector("[data-passkey-status]");
    var say = function (text) {
      if (status) status.textContent = text || "";
    };
    if (!window.PublicKeyCredential || !navigator.credentials) {
      var note = document.createElement("p");
      note.textContent = form.dataset.unsupported || "";
      form.parentNode.insertBefore(note, form);
      return;
    }
    var source = document.getElementById(form.dataset.options);
    if (!source) return;
    var options = JSON.parse(source.textContent);
    var field = form.querySelector('input[name="credential"]');
    var button = form.querySelector('button[type="submit"]');
    form.hidden = false;
    form.addEventListener("submit", function (event) {
      if (field.value) return; // the answer is in: post it
      event.preventDefault();
      say("");
      if (button) button.disabled = true;
      var ceremony =
        form.dataset.passkey === "register"
          ? navigator.credentials.create({ publicKey: creationOptions(options) })
          : navigator.credentials.get({ publicKey: requestOptions(options) });
      ceremony
        .then(function (credential) {
          field.value = credentialJSON(credential);
          form.submit();
        })
        .catch(function () {
          if (button) button.disabled = false;
          say(form.dataset.failed);
        });
    });
  }

  function start() {
    var forms = document.querySelectorAll("form[data-passkey]");
    for (var i = 0; i < forms.length; i++) setUp(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
