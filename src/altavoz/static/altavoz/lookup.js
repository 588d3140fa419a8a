/* Live district lookup on the campaign page (progressive: without it, the server looks the
   address up on submit). As the address and ZIP are typed, ask the JSON endpoint (debounced),
   say "Your commissioner: District 2 — Damian Pardo", choose that district and fill the
   greeting. "Use my location" asks the browser for a position. The district map selects a
   district as its radio does (each district is a link: by mouse, touch or keyboard), and
   shows the chosen one. No third-party requests. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-lookup-url]");
  if (!form || !window.fetch) { return; }
  var url = form.getAttribute("data-lookup-url");
  var street = form.querySelector("[name=street_address]");
  var zip = form.querySelector("[name=zip_code]");
  var result = document.getElementById("lookup-result");
  var greeting = document.querySelector(".greeting");
  var locate = document.getElementById("use-location");
  var officialsNode = document.getElementById("district-officials");
  var officials = officialsNode ? JSON.parse(officialsNode.textContent) : {};
  var template = greeting ? greeting.getAttribute("data-template") : "";
  var timer = null;
  var asked = 0;

  function fillGreeting(name) {
    if (greeting && template && name) {
      greeting.textContent = template.split("[Official Name]").join(name);
    }
  }

  function highlight(id) {
    var areas = document.querySelectorAll(".district-map a[data-area]");
    for (var i = 0; i < areas.length; i++) {
      areas[i].classList.toggle("is-selected", areas[i].getAttribute("data-area") === id);
    }
  }

  function choose(id) {
    var radio = form.querySelector("input[name=area][value='" + id + "']");
    if (radio) { radio.checked = true; }
    fillGreeting(officials[id]);
    highlight(id);
  }

  function petitionOnly(yes) {
    var flag = form.querySelector("input[name=petition_only]");
    if (yes && !flag) {
      flag = document.createElement("input");
      flag.type = "hidden";
      flag.name = "petition_only";
      form.appendChild(flag);
    }
    if (flag) { flag.value = yes ? "1" : ""; }
    if (yes) {
      var checked = form.querySelector("input[name=area]:checked");
      if (checked) { checked.checked = false; }
      highlight("");
    }
  }

  function show(data) {
    result.textContent = data.message || "";
    result.className = "lookup-result lookup-" + (data.status || "unavailable");
    petitionOnly(Boolean(data.petition_only));
    if (data.status === "found" && data.districts.length) {
      choose(data.districts[0].id);
      if (data.greeting && greeting) { greeting.textContent = data.greeting; }
    }
  }

  function ask(params) {
    var mine = ++asked;
    var query = new URLSearchParams(params).toString();
    fetch(url + "?" + query, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) { if (mine === asked) { show(data); } })
      .catch(function () {
        if (mine === asked) {
          show({ status: "unavailable", message: result.getAttribute("data-unavailable") });
        }
      });
  }

  function typed() {
    window.clearTimeout(timer);
    var address = street.value.trim();
    if (address.length < 6 || !/^\d{5}/.test(zip.value.trim())) { return; }
    timer = window.setTimeout(function () {
      ask({ street: address, zip: zip.value.trim() });
    }, 400);
  }

  street.addEventListener("input", typed);
  zip.addEventListener("input", typed);
  form.addEventListener("change", function (event) {
    if (event.target.name === "area") {
      fillGreeting(officials[event.target.value]);
      highlight(event.target.value);
      petitionOnly(false);
    }
  });
  form.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".district-map a[data-area]") : null;
    if (!link) { return; }
    event.preventDefault();
    choose(link.getAttribute("data-area"));
    petitionOnly(false);
  });

  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(
        function (position) {
          var point = { lat: position.coords.latitude, lon: position.coords.longitude };
          // Sent with the form: when the typed address cannot be found, this point decides.
          ["lat", "lon"].forEach(function (name) {
            var input = form.querySelector("input[name=" + name + "]");
            if (input) { input.value = String(point[name]); }
          });
          ask(point);
        },
        function () {
          show({ status: "unavailable", message: result.getAttribute("data-unavailable") });
        },
        { timeout: 10000, maximumAge: 60000 }
      );
    });
  }
  if (street.value && zip.value && !form.querySelector("input[name=area]:checked")) { typed(); }
}());
