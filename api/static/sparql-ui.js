/* The cmkg query page: YASGUI against this server's /sparql, with example queries.
   Everything is served by the app itself; the page makes no request to another origin. */
(function () {
  "use strict";
  var endpoint = new URL("sparql", document.baseURI).href;

  // Class and property completion asks a remote service (LOV): keep completion local.
  Yasgui.Yasqe.defaults.autocompleters = Yasgui.Yasqe.defaults.autocompleters.filter(
    function (name) { return name !== "class" && name !== "property"; }
  );

  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: endpoint }]; } },
    persistenceId: "cmkg-sparql-ui",
  });
  window.cmkgYasgui = yasgui;

  var select = document.getElementById("examples");
  fetch(new URL("static/examples.json", document.baseURI))
    .then(function (response) { return response.json(); })
    .then(function (examples) {
      examples.forEach(function (example, index) {
        var option = document.createElement("option");
        option.value = String(index);
        option.textContent = example.name;
        select.appendChild(option);
      });
      select.addEventListener("change", function () {
        var example = examples[Number(select.value)];
        if (!example) { return; }
        var tab = yasgui.getTab();
        tab.setEndpoint(endpoint);
        tab.setQuery(example.query);
      });
      var tab = yasgui.getTab();
      if (!tab.getQuery() || /SELECT \* WHERE \{\s*\?sub \?pred \?obj/.test(tab.getQuery())) {
        tab.setQuery(examples[0].query);
      }
    });
})();
