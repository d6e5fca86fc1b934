// A Node.js function with no faasprobe code: a Runtime API loop on the
// http module that answers every event with {"ok":true}.
const http = require("http");
const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(":");
const base = "/2018-06-01/runtime/invocation/";
function next() {
  http.get({ host, port, path: base + "next" }, (res) => {
    const id = res.headers["lambda-runtime-aws-request-id"];
    res.resume();
    res.on("end", () => {
      const req = http.request({ host, port, method: "POST", path: base + id + "/response" }, (r) => {
        r.resume();
        r.on("end", next);
      });
      req.end('{"ok":true}');
    });
  });
}
next();
