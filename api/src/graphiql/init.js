// Starts GraphiQL on the page served at `/`, against this service's `/graphql`. Served as a file
// of its own so that the page's Content-Security-Policy needs no inline script.
(function () {
  var url = new URL("/graphql", window.location.origin).toString();
  var fetcher = GraphiQL.createFetcher({
    url: url,
    fetch: function (input, init) {
      return fetch(input, Object.assign({}, init, { credentials: "omit" }));
    },
  });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true })
  );
})();
