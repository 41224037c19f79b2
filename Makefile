# Mileo Extract — two commands: `make run` and `make test`.
SHELL := /bin/bash
BIN   := bin/mileo-extract
DEMO  ?= $(HOME)/.local/share/mileo-extract/demo-vms
# Debian ships opencv4.pc only with the full libopencv-dev: link the modules by hand.
export CGO_CPPFLAGS := -I/usr/include/opencv4
export CGO_CXXFLAGS := -std=c++11
export CGO_LDFLAGS  := -lopencv_core -lopencv_imgproc -lopencv_imgcodecs -lopencv_videoio -lopencv_highgui -lopencv_objdetect -lopencv_dnn -lopencv_video -lopencv_calib3d -lopencv_features2d -lopencv_photo
TAGS  := customenv
GO    := go
GOTEST_FLAGS ?= -timeout 25m

.PHONY: all deps deps-test models build run test bench screenshots package mediamtx clean vet

all: build

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

models:
	@scripts/models.sh

build: deps
	$(GO) build -tags $(TAGS) -trimpath -o $(BIN) .

run: build models
	@scripts/run-demo.sh "$(BIN)" "$(DEMO)"

vet:
	$(GO) vet -tags $(TAGS) ./...

test: deps-test models mediamtx
	@test -z "$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet -tags $(TAGS) ./...
	$(GO) test -tags $(TAGS) $(GOTEST_FLAGS) ./...
	$(GO) test -tags $(TAGS),matprofile -run NoMatLeak ./internal/cv/

bench: deps-test models build
	@scripts/bench.sh "$(BIN)"

mediamtx:
	@scripts/mediamtx.sh

screenshots: deps-test build
	@scripts/screenshots.sh

# A .desktop entry and icon (fyne package, installed from the module proxy).
package: build
	$(GO) run fyne.io/tools/cmd/fyne@v1.7.0 package -os linux -icon assets/icon.png -executable $(BIN) -name "Mileo Extract" -appID tech.mileo.extract || \
	  { echo "fyne package needs the fyne tool (fyne.io/tools/cmd/fyne)"; exit 1; }

clean:
	rm -rf bin
