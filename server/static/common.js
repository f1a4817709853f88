// Helpers shared by claimgraph's pages (loaded before each page's own script).
window.claimgraphCommon = {
  // GET a JSON resource; a non-2xx answer throws an Error carrying the server's detail.
  async getJSON(url) {
    const resp = await fetch(url, { headers: { Accept: "application/json" } });
    const body = await resp.json().catch(() => null);
    if (!resp.ok) {
      const detail = body && body.error ? body.error.detail : resp.statusText;
      throw new Error(`${resp.status}: ${detail}`);
    }
    return body;
  },
};
