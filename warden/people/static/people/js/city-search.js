// City suggestions for the trip forms: a plain text input works without this script; with it,
// typing offers the GeoNames cities of the chosen country and remembers the one picked.
(function () {
  "use strict";
  document.querySelectorAll("form[data-cities-url]").forEach(function (form) {
    var input = form.querySelector("[data-city-search]");
    var country = form.querySelector("select[name=country]");
    var hidden = form.querySelector("input[name=city_geonameid]");
    var list = form.querySelector("datalist");
    if (!input || !country || !hidden || !list) return;
    input.setAttribute("list", list.id);
    var found = {};
    var timer = null;
    function pick() {
      hidden.value = found[input.value] || "";
    }
    function search() {
      var query = input.value.trim();
      if (!country.value || query.length < 2) return;
      var url = form.dataset.citiesUrl + "?country=" + encodeURIComponent(country.value) +
        "&q=" + encodeURIComponent(query);
      fetch(url, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { cities: [] }; })
        .then(function (data) {
          list.replaceChildren();
          found = {};
          data.cities.forEach(function (city) {
            var option = document.createElement("option");
            option.value = city.name;
            found[city.name] = city.id;
            list.appendChild(option);
          });
          pick();
        })
        .catch(function () {});
    }
    input.addEventListener("input", function () {
      pick();
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    country.addEventListener("change", function () {
      hidden.value = "";
      list.replaceChildren();
    });
  });
})();
