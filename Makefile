# Portico: `make run` serves the embedded gateway, `make test` runs every test on a fresh machine.
SHELL := /bin/bash
NODE_MODULES_STAMP := node_modules/.package-lock.json
PROTO_GEN := shared/src/generated

.PHONY: all deps system-deps build run test test-unit test-integration bench proto check-proto clean

all: build

$(NODE_MODULES_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NODE_MODULES_STAMP)

# Debian packages the tests and benchmarks use; installed only when missing.
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx-light"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing) >/dev/null; \
	fi

build: deps
	npx tsc -p tsconfig.json

# Regenerates the TypeScript wire types from proto/ (committed; test/unit checks they are current).
proto: deps
	rm -rf $(PROTO_GEN)
	npx proto-loader-gen-types --longs=Number --enums=String --defaults --oneofs --arrays --objects \
	  --grpcLib=@grpc/grpc-js -I proto -O $(PROTO_GEN) portico/v1/discovery.proto portico/v1/snapshot.proto >/dev/null
	find $(PROTO_GEN) -name '*.ts' -exec sed -i -E "s#(from '\.[^']*)';#\1.js';#" {} +

run: build
	node dist/bin/portico.js all -c examples/demo/portico.yaml --demo-backends

test: system-deps build
	node --test --test-reporter=spec --test-reporter-destination=stdout \
	  --test-concurrency=2 $$(find dist/test -name '*.test.js' | sort)

bench: system-deps build
	node dist/bench/run.js

clean:
	rm -rf dist
