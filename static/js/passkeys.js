// After a passkey is registered (django-otp-webauthn's script fires the event), carry on to the recovery codes.
document.addEventListener("otp_webauthn.register_complete", function () {
  var form = document.getElementById("passkey-enrolled");
  if (form) form.submit();
});
