# Portico: `make run` serves the embedded gateway, `make test` runs every test on a fresh machine.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json
PROTO_GEN := shared/src/generated

.PHONY: all deps test-deps bench-deps build run test bench proto clean

all: build

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NODE_MODULES_STAMP)

# Debian packages, installed only when missing (root on CI and dev machines here).
define apt_install_missing
	@missing=""; \
	for spec in $(1); do cmd=$${spec%%=*}; pkg=$${spec#*=}; \
	  command -v $$cmd >/dev/null || [ -x /usr/sbin/$$cmd ] || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi
endef

test-deps:
	$(call apt_install_missing,redis-server=redis-server chromium=chromium script=bsdutils wrk=wrk)

bench-deps:
	$(call apt_install_missing,redis-server=redis-server nginx=nginx-light wrk=wrk taskset=util-linux)

build: deps
	npx tsc -p tsconfig.json

# Regenerates the TypeScript wire types from proto/ (committed; test/unit checks they are current).
proto: deps
	rm -rf $(PROTO_GEN)
	npx proto-loader-gen-types --longs=Number --enums=String --defaults --oneofs --arrays --objects \
	  --grpcLib=@grpc/grpc-js -I proto -O $(PROTO_GEN) portico/v1/discovery.proto portico/v1/snapshot.proto >/dev/null
	find $(PROTO_GEN) -name '*.ts' -exec sed -i -E "s#(from '\.[^']*)';#\1.js';#" {} +

# The embedded default: demo backends on 127.0.0.1:9101-9103, then `portico all` on :8080.
run: build
	node dist/examples/demo/backends.js & backends=$$!; \
	trap 'kill $$backends 2>/dev/null' EXIT INT TERM; \
	node --max-semi-space-size=32 --single-threaded-gc dist/bin/portico.js all -c examples/demo/portico.yaml

test: test-deps build
	node --test --test-reporter=spec --test-reporter-destination=stdout \
	  --test-concurrency=2 $$(find dist/test -name '*.test.js' | sort)

# HTTP (direct, Portico, NGINX, @fastify/http-proxy), balancers, control plane, WebSockets.
# Results go to docs/benchmarks*.md with the commands that produced them.
bench: bench-deps build
	node dist/bench/run.js
	node dist/bench/balancers.js
	node dist/bench/control-plane.js
	node dist/bench/websocket.js

clean:
	rm -rf dist
