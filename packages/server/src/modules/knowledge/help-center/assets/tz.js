// The reader's time zone for server-rendered times (the pages work without this: times then read in UTC).
// Remembers the browser's zone in a cookie, so the server renders the next pages in it, and shows this
// page's times rendered in UTC in that zone now, with the format options the server put in data-local.
(function () {
  var zone;
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
  if (!zone) return;
  var m = document.cookie.match(/(?:^|;\s*)careline_tz=([^;]*)/);
  if (!m || decodeURIComponent(m[1]) !== zone) {
    document.cookie = 'careline_tz=' + encodeURIComponent(zone) + '; path=/; max-age=31536000; samesite=lax' + (location.protocol === 'https:' ? '; secure' : '');
  }
  var lang = document.documentElement.lang || 'en';
  var times = document.querySelectorAll('time[data-local]');
  for (var i = 0; i < times.length; i++) {
    var el = times[i];
    var date = new Date(el.getAttribute('datetime'));
    if (isNaN(date.getTime())) continue;
    try {
      var options = JSON.parse(el.getAttribute('data-local'));
      el.textContent = new Intl.DateTimeFormat(lang, Object.assign({ timeZone: zone }, options)).format(date);
      el.removeAttribute('data-local');
    } catch (e) { /* an unknown zone: keep UTC */ }
  }
})();
