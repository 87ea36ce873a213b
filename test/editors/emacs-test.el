;;; emacs-test.el --- Emacs + Eglot as a real LSP client of northstar-language-server -*- lexical-binding: t -*-
;;
;;   cd <workspace> && NORTHSTAR_REPO=<repo> timeout 60 emacs --batch -q -l <repo>/test/editors/emacs-test.el
;;
;; (`-q', not `-Q': Debian's elpa-* packages are activated from site-lisp, which -Q skips.)
;; test/editors/run.mjs runs it on a temp copy of examples/.  The configuration between the
;; BEGIN/END markers is the one README users paste (test/editors/README-snippet.md); run.mjs
;; checks that the two are identical.  Every wait polls the client's state with
;; `accept-process-output' up to a deadline; nothing sleeps blindly.
;; Prints one "PASS <check>" / "FAIL <check>: why" line per check; exits 1 on failure.

;;; Code:

(require 'cl-lib)
(require 'subr-x)

(defvar nst-timeout (/ (string-to-number (or (getenv "NORTHSTAR_EDITOR_TIMEOUT_MS") "20000")) 1000.0))
(defvar nst-repo (or (getenv "NORTHSTAR_REPO") (error "NORTHSTAR_REPO is not set")))
(defvar nst-workspace (file-name-as-directory (expand-file-name default-directory)))
(defvar nst-start (float-time))
(defvar nst-passes 0)
(defvar nst-failures 0)

(defun nst-ms () (round (* 1000 (- (float-time) nst-start))))
(defun nst-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))
(defun nst-check (name ok &optional why)
  (if ok
      (progn (cl-incf nst-passes) (nst-out "PASS %s (%d ms)" name (nst-ms)))
    (cl-incf nst-failures)
    (nst-out "FAIL %s: %s (%d ms)" name
             (replace-regexp-in-string "\n" " | " (substring-no-properties (or why "?"))) (nst-ms))))

(defun nst-wait (pred)
  "Poll PRED (processing process output and timers) until it is non-nil or the timeout."
  (let ((deadline (+ (float-time) nst-timeout)) v)
    (while (and (not (setq v (ignore-errors (funcall pred))))
                (< (float-time) deadline))
      (accept-process-output nil 0.02))
    v))

(defun nst-goto (needle &optional from)
  "Move point to the start of the first NEEDLE at or after FROM (default: buffer start)."
  (goto-char (or from (point-min)))
  (unless (search-forward needle nil t) (error "Not found in buffer: %s" needle))
  (goto-char (match-beginning 0)))

;; Editor housekeeping of the test run, not part of the configuration: no lock files
;; (.#saved-cards.prd.md symlinks) in the workspace when the test edits the buffer.
(setq create-lockfiles nil make-backup-files nil auto-save-default nil)

;; An interactive Emacs activates the installed packages (Debian's elpa-* ones included) at
;; startup; `emacs --batch -q' does not, so their autoloads (`eglot-ensure', `markdown-mode'
;; and its .md entry in `auto-mode-alist') are missing.  Do what startup would have done.
(package-activate-all)

(unless (locate-library "eglot")
  (nst-out "FAIL error: Eglot is not installed (Debian: elpa-eglot; see scripts/editors/install.sh)")
  (kill-emacs 1))
(unless (fboundp 'markdown-mode)
  ;; Emacs 28 has no Markdown mode of its own; Debian's elpa-markdown-mode provides it.
  (nst-out "INFO markdown-mode not installed (elpa-markdown-mode); using a stand-in derived from text-mode")
  (define-derived-mode markdown-mode text-mode "Markdown")
  (add-to-list 'auto-mode-alist '("\\.md\\'" . markdown-mode)))

;; The server under test: this repository's bundle (users get `northstar-language-server').
(setq northstar-server-command (list "node" (expand-file-name "dist/server.cjs" nst-repo) "--stdio"))

;; BEGIN northstar emacs config
;; Northstar language server for Markdown buffers (Emacs 28+, Eglot 1.9+, markdown-mode).
;; The workspace is the project (e.g. the git checkout) the file is in; outside one, the
;; folder Emacs was started in (when the file is inside it and it is not / or your home).
;; Set `northstar-server-command' first to run a clone:
;; '("node" "/path/to/northstar/dist/server.cjs" "--stdio").
(defvar northstar-server-command '("northstar-language-server" "--stdio"))
(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               `(((markdown-mode :language-id "markdown") (gfm-mode :language-id "markdown"))
                 . ,northstar-server-command)))
(defun northstar-project-fallback (dir)
  (let ((start (file-name-as-directory (expand-file-name command-line-default-directory))))
    (when (and (bound-and-true-p eglot-lsp-context)
               (not (member start (list "/" (file-name-as-directory (expand-file-name "~")))))
               (string-prefix-p start (file-name-as-directory (expand-file-name dir))))
      (cons 'transient start))))
(add-hook 'project-find-functions #'northstar-project-fallback 90)
(add-hook 'markdown-mode-hook #'eglot-ensure)
(add-hook 'gfm-mode-hook #'eglot-ensure)
;; END northstar emacs config

(defun nst-main ()
  (nst-out "INFO %s, eglot %s" (car (split-string (emacs-version) "\n"))
           (or (ignore-errors (package-desc-version (cadr (assq 'eglot package-alist)))) "?"))
  (let* ((prd (expand-file-name "prds/saved-cards.prd.md" nst-workspace))
         (brief (expand-file-name "product/parcel.brief.md" nst-workspace))
         (buf (find-file prd)))
    (nst-check "major mode is markdown-mode" (eq major-mode 'markdown-mode) (format "major-mode=%s" major-mode))
    ;; `eglot-ensure' connects from `post-command-hook', i.e. when the command that opened
    ;; the file (C-x C-f) returns to the command loop.  Batch Emacs has no command loop: run
    ;; the hook once, as the loop would.
    (run-hooks 'post-command-hook)
    (let ((server (nst-wait (lambda () (and (eglot-managed-p) (eglot-current-server))))))
      (nst-check "eglot manages the buffer" server "no Eglot server for the buffer")
      (unless server (error "Eglot did not start (see *EGLOT ... stderr*)"))
      (nst-out "INFO server %s, root %s" (string-join (process-command (jsonrpc--process server)) " ")
               (project-root (eglot--project server)))

      ;; (a) Diagnostics, as Flymake holds them (Eglot's Flymake backend).  The unresolved
      ;; reference only appears once the server has indexed the workspace.
      (cl-labels ((diags ()
                    (with-current-buffer buf
                      (mapcar (lambda (d)
                                (let ((lsp (alist-get 'eglot-lsp-diag (flymake-diagnostic-data d))))
                                  (list :line (line-number-at-pos (flymake-diagnostic-beg d))
                                        :code (plist-get lsp :code)
                                        :text (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d))
                                        :message (flymake-diagnostic-text d))))
                              (flymake-diagnostics))))
                  (find-diag (code line)
                    (cl-find-if (lambda (d) (and (equal (plist-get d :code) code) (= (plist-get d :line) line))) (diags))))
        (nst-wait (lambda () (and (find-diag "invalid-value" 59) (find-diag "unresolved-reference" 91))))
        (let ((summary (mapconcat (lambda (d) (format "%d %s" (plist-get d :line) (plist-get d :code))) (diags) ", "))
              (prio (find-diag "invalid-value" 59))
              (unres (find-diag "unresolved-reference" 91)))
          (nst-check "diagnostics: invalid-value `mandatory' at line 59"
                     (and prio (equal (plist-get prio :text) "mandatory")
                          (string-match-p "northstar \\[invalid-value\\]: `mandatory`" (plist-get prio :message)))
                     (format "got %s %S" summary prio))
          (nst-check "diagnostics: unresolved KPI-checkout-convrsion at line 91"
                     (and unres (equal (plist-get unres :text) "KPI-checkout-convrsion"))
                     (format "got %s %S" summary unres))
          (nst-out "INFO %d diagnostics: %s" (length (diags)) summary)))

      ;; (b) Hover, through Eglot's own ElDoc hover function (what ElDoc shows at point).
      (nst-goto "### FEAT-saved-cards: Saved payment cards")
      (forward-char 8)
      (let* ((line (line-number-at-pos))
             (hover nil)
             (sent (eglot-hover-eldoc-function (lambda (info &rest _) (setq hover (or info ""))))))
        (nst-wait (lambda () hover))
        (nst-check (format "hover on FEAT-saved-cards (line %d) shows KPI-saved-card-usage and KR-2026Q4.2" line)
                   (and sent hover (string-match-p (regexp-quote "KPI-saved-card-usage") hover)
                        (string-match-p (regexp-quote "KR-2026Q4.2") hover))
                   (format "hover text: %s" (and hover (substring-no-properties hover 0 (min 400 (length hover)))))))

      ;; (d) Go to definition: `xref-find-definitions' (M-.) on KPI-checkout-conversion.
      (nst-goto "KPI-checkout-conversion")
      (forward-char 4)
      (let ((line (line-number-at-pos)))
        (setq this-command 'xref-find-definitions) ; as when M-. runs it: no identifier prompt
        (call-interactively #'xref-find-definitions)
        (nst-wait (lambda () (equal (buffer-file-name (window-buffer (selected-window))) brief)))
        (with-current-buffer (window-buffer (selected-window))
          (nst-check (format "definition of KPI-checkout-conversion (line %d) lands in product/parcel.brief.md:79" line)
                     (and (equal buffer-file-name brief) (= (line-number-at-pos) 79)
                          (string-match-p "KPI-checkout-conversion" (thing-at-point 'line t)))
                     (format "now in %s at line %d" buffer-file-name (line-number-at-pos)))))
      (switch-to-buffer buf)

      ;; (c) Completion after "- kpi: " on a new line in FEAT-crypto-payments' property list,
      ;; through Eglot's `completion-at-point' function (what C-M-i / company use).
      (nst-goto "- priority: wont" (save-excursion (nst-goto "### FEAT-crypto-payments") (point)))
      (end-of-line)
      (insert "\n- kpi: ")
      (let* ((line (line-number-at-pos))
             (capf (eglot-completion-at-point))
             (items (and capf (all-completions "" (nth 2 capf))))
             (feats (cl-remove-if-not (lambda (s) (string-prefix-p "FEAT-" s)) items)))
        (nst-check (format "completion after \"- kpi: \" (line %d) offers KPI-checkout-conversion, no FEAT- item" line)
                   (and (member "KPI-checkout-conversion" items) (null feats))
                   (format "%d items: %s" (length items) (string-join items " ")))
        (nst-out "INFO completion items: %s" (string-join items " ")))

      (ignore-errors (eglot-shutdown server)))))

(condition-case err
    (nst-main)
  (error (cl-incf nst-failures)
         (nst-out "FAIL error: %s" (error-message-string err))))
(nst-out "RESULT emacs %s: %d passed, %d failed in %d ms (Emacs %s)"
         (if (zerop nst-failures) "PASS" "FAIL") nst-passes nst-failures (nst-ms) emacs-version)
(kill-emacs (if (zerop nst-failures) 0 1))

;;; emacs-test.el ends here
