/*
 * minimal.c is the least an external Lambda extension can be: a static C
 * program with no runtime to start, that registers for INVOKE and SHUTDOWN
 * and then calls event/next until SHUTDOWN, one HTTP/1.1 request per
 * connection ("Connection: close"). extbench measures it beside the Go
 * minimal extension and faasprobe-extension: its cost is the emulator's
 * floor for any extension, whatever its language.
 *
 * Extensions API: https://docs.aws.amazon.com/lambda/latest/dg/runtimes-extensions-api.html
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static struct sockaddr_in addr;

/* request sends one request and reads the whole response into buf (NUL
 * terminated); it returns the response's length, or -1. */
static int request(const char *req, char *buf, int cap) {
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) { close(fd); return -1; }
	int len = strlen(req);
	for (int off = 0; off < len;) {
		int n = write(fd, req + off, len - off);
		if (n <= 0) { close(fd); return -1; }
		off += n;
	}
	int got = 0, n;
	while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0) got += n;
	close(fd);
	buf[got] = 0;
	return strncmp(buf, "HTTP/1.1 200", 12) == 0 ? got : -1;
}

int main(int argc, char **argv) {
	const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
	/* The emulator and Lambda give an IPv4 address and a port: 127.0.0.1:9001. */
	const char *colon = api ? strrchr(api, ':') : NULL;
	char ip[16];
	if (!colon || colon - api >= (long)sizeof ip) return 1;
	memcpy(ip, api, colon - api);
	ip[colon - api] = 0;
	int p = atoi(colon + 1);
	addr.sin_family = AF_INET;
	addr.sin_port = htons(p);
	if (p <= 0 || p > 65535 || inet_pton(AF_INET, ip, &addr.sin_addr) != 1) return 1;
	const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	static char req[1024], buf[1 << 16];
	const char *body = "{\"events\":[\"INVOKE\",\"SHUTDOWN\"]}";
	snprintf(req, sizeof req,
		"POST /2020-01-01/extension/register HTTP/1.1\r\nHost: %s\r\nLambda-Extension-Name: %s\r\n"
		"Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
		api, name, strlen(body), body);
	if (request(req, buf, sizeof buf) < 0) return 1;
	char *id = strcasestr(buf, "\r\nLambda-Extension-Identifier:");
	if (!id) return 1;
	id += strlen("\r\nLambda-Extension-Identifier:");
	while (*id == ' ') id++;
	char *end = strstr(id, "\r\n");
	if (!end || end - id > 128) return 1;
	*end = 0;
	char ident[129];
	strcpy(ident, id);
	snprintf(req, sizeof req,
		"GET /2020-01-01/extension/event/next HTTP/1.1\r\nHost: %s\r\nLambda-Extension-Identifier: %s\r\n"
		"Connection: close\r\n\r\n", api, ident);
	for (;;) {
		if (request(req, buf, sizeof buf) < 0) return 1;
		if (strstr(buf, "\"SHUTDOWN\"")) return 0;
	}
}
