/// The files of the host's stand-in for `nginx`: nginx's default page and a static file server
/// on port 80 that logs as nginx does and stops gracefully on SIGTERM or SIGQUIT.
enum NginxFiles {
    static let indexHTML = """
    <!DOCTYPE html>
    <html>
    <head>
    <title>Welcome to nginx!</title>
    <style>
    html { color-scheme: light dark; }
    body { width: 35em; margin: 0 auto;
    font-family: Tahoma, Verdana, Arial, sans-serif; }
    </style>
    </head>
    <body>
    <h1>Welcome to nginx!</h1>
    <p>If you see this page, the nginx web server is successfully installed and
    working. Further configuration is required.</p>

    <p>For online documentation and support please refer to
    <a href="http://nginx.org/">nginx.org</a>.<br/>
    Commercial support is available at
    <a href="http://nginx.com/">nginx.com</a>.</p>

    <p><em>Thank you for using nginx.</em></p>
    </body>
    </html>

    """

    static let errorHTML = """
    <!DOCTYPE html>
    <html>
    <head>
    <title>Error</title>
    </head>
    <body>
    <h1>An error occurred.</h1>
    <p>Sorry, the page you are looking for is currently unavailable.<br/>
    Please try again later.</p>
    </body>
    </html>

    """

    static let serverJS = #"""
    // kplane's stand-in for nginx: serves ./html (the image's /usr/share/nginx/html) on port 80.
    'use strict';
    const http = require('http');
    const fs = require('fs');
    const path = require('path');
    const root = path.join(__dirname, 'html');
    const port = Number(process.env.NGINX_PORT || 80);
    const types = { '.html': 'text/html', '.css': 'text/css', '.js': 'application/javascript', '.json': 'application/json',
      '.png': 'image/png', '.jpg': 'image/jpeg', '.svg': 'image/svg+xml', '.txt': 'text/plain' };
    function page(status, title) {
      return `<html>\r\n<head><title>${status} ${title}</title></head>\r\n<body>\r\n<center><h1>${status} ${title}</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n`;
    }
    const server = http.createServer((req, res) => {
      let status = 200, body;
      let file = path.join(root, path.normalize(decodeURIComponent(req.url.split('?')[0])));
      if (!file.startsWith(root)) file = root;
      try {
        if (fs.statSync(file).isDirectory()) file = path.join(file, 'index.html');
        body = fs.readFileSync(file);
        res.setHeader('Content-Type', types[path.extname(file)] || 'application/octet-stream');
      } catch {
        status = 404; body = page(404, 'Not Found');
        res.setHeader('Content-Type', 'text/html');
      }
      res.setHeader('Server', 'nginx/1.27.3');
      res.setHeader('Content-Length', Buffer.byteLength(body));
      res.writeHead(status);
      res.end(req.method === 'HEAD' ? undefined : body);
      const now = new Date(Date.now()).toUTCString();
      console.log(`${req.socket.remoteAddress} - - [${now}] "${req.method} ${req.url} HTTP/${req.httpVersion}" ${status} ${body.length} "-" "${req.headers['user-agent'] || '-'}"`);
    });
    server.listen(port, '0.0.0.0', () => console.log(`start worker process ${process.pid} on port ${port}`));
    for (const sig of ['SIGTERM', 'SIGQUIT', 'SIGINT']) {
      process.on(sig, () => { console.log(`signal ${sig} received, exiting`); server.close(() => process.exit(0)); server.closeAllConnections?.(); });
    }

    """#
}
