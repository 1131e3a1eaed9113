# Set-up on a fresh machine is two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export QT_QPA_PLATFORM ?= $(if $(DISPLAY)$(WAYLAND_DISPLAY),,offscreen)

.PHONY: run test bench lint typecheck clean translations icons package

I18N := resources/i18n
TS_FILES := $(I18N)/csto_editor_ru.ts
QM_FILES := $(TS_FILES:.ts=.qm)
PACKAGE_STAMP := $(VENV)/.installed-package

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP) $@

## Open the app on a demo database in the user data folder (created on first run).
run: $(STAMP) $(QM_FILES)
	$(BIN)/csto-editor init --demo-if-empty
	$(BIN)/csto-editor gui

VNU_JAR := $(VENV)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

# The Nu Html Checker validates exported pages; it needs npm to install and Java to run.
$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-audit --no-fund --prefix $(VENV)/vnu vnu-jar >/dev/null; \
	else echo "npm not found: the HTML validator test will be skipped"; fi

## Install the test extras and run the whole suite.
test: $(TEST_STAMP) $(VNU_JAR) $(QM_FILES)
	$(BIN)/ruff check csto_editor tests
	$(BIN)/mypy
	VNU_JAR=$(abspath $(VNU_JAR)) $(BIN)/python -m pytest

## Measure against the peers (Pelican, ReText) in their own venv; see benchmarks/README.md.
bench: $(TEST_STAMP)
	$(BIN)/python -m benchmarks.run

lint: $(TEST_STAMP)
	$(BIN)/ruff check csto_editor tests
	$(BIN)/ruff format --check csto_editor tests

typecheck: $(TEST_STAMP)
	$(BIN)/mypy

# A compiled translation is rebuilt when its .ts is newer (lrelease comes with PySide6).
$(I18N)/%.qm: $(I18N)/%.ts | $(STAMP)
	$(BIN)/pyside6-lrelease -silent $< -qm $@

## Update the .ts files from the sources (lupdate), then compile the .qm (lrelease).
translations: $(STAMP)
	$(BIN)/pyside6-lupdate -extensions py -locations none -no-obsolete csto_editor/ui -ts $(TS_FILES)
	for ts in $(TS_FILES); do $(BIN)/pyside6-lrelease -silent $$ts -qm $${ts%.ts}.qm; done

## Render the app icon (resources/icons/csto-editor.svg) into packaging/icons/.
icons: $(STAMP)
	$(BIN)/python packaging/render_icons.py

$(PACKAGE_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[package]'
	touch $(STAMP) $@

## Build the one-folder Linux application into dist/csto-editor/ (PyInstaller).
package: $(PACKAGE_STAMP) $(QM_FILES)
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/pyinstaller packaging/csto-editor.spec
	cp packaging/linux/csto-editor.desktop packaging/linux/org.csto.Editor.metainfo.xml \
		packaging/icons/csto-editor-256.png dist/csto-editor/

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
