-- Neovim (0.7+) as a real LSP client of northstar-language-server.
--
--   cd <workspace> && NORTHSTAR_REPO=<repo> timeout 60 \
--     nvim --headless --clean -c "luafile <repo>/test/editors/nvim-test.lua" </dev/null
--
-- test/editors/run.mjs runs it on a temp copy of examples/. The configuration between the
-- BEGIN/END markers is the one README users paste (test/editors/README-snippet.md); run.mjs
-- checks that the two are identical. It is defined first and the PRD is opened with :edit
-- afterwards, exactly as a user's init.lua would be loaded before a file is opened.
-- Every wait polls the client's state with vim.wait() and a deadline; nothing sleeps blindly.
-- Prints one "PASS <check>" / "FAIL <check>: why" line per check; exits with :cquit on failure.

local TIMEOUT = tonumber(os.getenv('NORTHSTAR_EDITOR_TIMEOUT_MS') or '') or 20000
local REPO = assert(os.getenv('NORTHSTAR_REPO'), 'NORTHSTAR_REPO is not set')
local WORKSPACE = vim.fn.getcwd()
local t0 = vim.loop.hrtime()

local function out(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end
local function ms()
  return math.floor((vim.loop.hrtime() - t0) / 1e6)
end

local failures, passes = 0, 0
local function check(name, ok, why)
  if ok then
    passes = passes + 1
    out(string.format('PASS %s (%d ms)', name, ms()))
  else
    failures = failures + 1
    out(string.format('FAIL %s: %s (%d ms)', name, (tostring(why or '?'):gsub('\n', ' | ')), ms()))
  end
end

-- Waits until pred() is true (processing events meanwhile), at most TIMEOUT ms.
local function wait_for(pred)
  return vim.wait(TIMEOUT, function()
    local ok, v = pcall(pred)
    return ok and v and true or false
  end, 20)
end

-- (1-based line, 0-based byte column) of the first line containing `needle` at or after `from`.
local function find(buf, needle, from)
  local lines = vim.api.nvim_buf_get_lines(buf, 0, -1, false)
  for i = from or 1, #lines do
    local s = lines[i]:find(needle, 1, true)
    if s then return i, s - 1 end
  end
  error('not found in buffer: ' .. needle)
end

-- Sends a request through the attached client and waits for its response.
local function request(buf, method, params)
  local done, res, err = false, nil, nil
  vim.lsp.buf_request(buf, method, params, function(e, r)
    err, res, done = e, r, true
  end)
  if not wait_for(function() return done end) then error(method .. ': no response within ' .. TIMEOUT .. ' ms') end
  if err then error(method .. ' failed: ' .. vim.inspect(err)) end
  return res
end

local function main()
  -- The server under test: this repository's bundle (users get `northstar-language-server`).
  vim.g.northstar_cmd = { 'node', REPO .. '/dist/server.cjs', '--stdio' }

  -- BEGIN northstar neovim config
  -- Northstar language server for Markdown buffers (Neovim 0.7+, no plugins needed).
  -- The workspace is the nearest folder up with a .git; without one, the folder Neovim was
  -- started in (when the file is inside it and it is not / or your home), else the file's folder.
  -- One server per workspace. `vim.g.northstar_cmd` overrides the command, e.g.
  -- { 'node', '/path/to/northstar/dist/server.cjs', '--stdio' } for a clone.
  local northstar_clients = {}
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'markdown',
    callback = function(args)
      local file = vim.api.nvim_buf_get_name(args.buf)
      if file == '' then return end
      local dir = vim.fn.fnamemodify(file, ':p:h')
      local git = vim.fn.finddir('.git', dir .. ';')
      if git == '' then git = vim.fn.findfile('.git', dir .. ';') end
      local root
      if git ~= '' then
        root = (vim.fn.fnamemodify(git, ':p'):gsub('/%.git/?$', ''))
      else
        local cwd = vim.fn.getcwd()
        local inside = (dir .. '/'):sub(1, #cwd + 1) == cwd .. '/'
        root = (inside and cwd ~= '/' and cwd ~= vim.loop.os_homedir()) and cwd or dir
      end
      local id = northstar_clients[root]
      if not (id and vim.lsp.get_client_by_id(id)) then
        id = vim.lsp.start_client({
          name = 'northstar',
          cmd = vim.g.northstar_cmd or { 'northstar-language-server', '--stdio' },
          root_dir = root,
        })
        northstar_clients[root] = id
      end
      if id then vim.lsp.buf_attach_client(args.buf, id) end
    end,
  })
  -- END northstar neovim config

  local prd = WORKSPACE .. '/prds/saved-cards.prd.md'
  local brief = WORKSPACE .. '/product/parcel.brief.md'
  vim.cmd('edit ' .. vim.fn.fnameescape(prd))
  local buf = vim.api.nvim_get_current_buf()
  check('filetype is markdown', vim.bo[buf].filetype == 'markdown', 'filetype=' .. vim.bo[buf].filetype)

  local client
  local attached = wait_for(function()
    for _, c in pairs(vim.lsp.buf_get_clients(buf)) do
      if c.name == 'northstar' and c.initialized then client = c end
    end
    return client ~= nil
  end)
  check('client attached and initialized', attached, 'no initialized northstar client on the buffer')
  if not attached then return end
  out(string.format('INFO server %s, root %s', table.concat(client.config.cmd, ' '), client.config.root_dir))

  -- (a) Diagnostics: published, and they include both deliberate mistakes. The unresolved
  -- reference only appears once the server has indexed the workspace.
  local function diag(code, lnum)
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == code and d.lnum == lnum then return d end
    end
  end
  local got = wait_for(function() return diag('invalid-value', 58) and diag('unresolved-reference', 90) end)
  local summary = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(summary, string.format('%d:%d %s', d.lnum + 1, d.col + 1, tostring(d.code)))
  end
  local prio, unres = diag('invalid-value', 58), diag('unresolved-reference', 90)
  local line59 = vim.api.nvim_buf_get_lines(buf, 58, 59, false)[1]
  check('diagnostics: invalid-value `mandatory` at line 59',
    got and prio ~= nil and prio.source == 'northstar' and line59:sub(prio.col + 1, prio.end_col) == 'mandatory'
      and prio.message:find('mandatory', 1, true) ~= nil,
    'got ' .. table.concat(summary, ', ') .. (prio and (' / ' .. prio.message) or ''))
  check('diagnostics: unresolved KPI-checkout-convrsion at line 91',
    got and unres ~= nil and unres.message:find('KPI-checkout-convrsion', 1, true) ~= nil,
    'got ' .. table.concat(summary, ', '))
  out('INFO ' .. #summary .. ' diagnostics: ' .. table.concat(summary, ', '))

  -- (b) Hover on FEAT-saved-cards in its heading.
  local hl, hc = find(buf, '### FEAT-saved-cards: Saved payment cards')
  local hover = request(buf, 'textDocument/hover', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = hl - 1, character = hc + 8 }, -- inside "FEAT-saved-cards" (ASCII: bytes = UTF-16)
  })
  local text = hover and table.concat(vim.lsp.util.convert_input_to_markdown_lines(hover.contents), '\n') or ''
  check('hover on FEAT-saved-cards (line ' .. hl .. ') shows KPI-saved-card-usage and KR-2026Q4.2',
    text:find('KPI-saved-card-usage', 1, true) ~= nil and text:find('KR-2026Q4.2', 1, true) ~= nil,
    'hover text: ' .. vim.inspect(text:sub(1, 400)))

  -- (d) Go to definition (the real vim.lsp.buf.definition(), i.e. what `gd` mappings call) on
  -- KPI-checkout-conversion in the PRD: the window must land in the brief at line 79.
  local dl, dc = find(buf, 'KPI-checkout-conversion')
  vim.api.nvim_win_set_cursor(0, { dl, dc + 4 })
  vim.lsp.buf.definition()
  local landed = wait_for(function() return vim.api.nvim_buf_get_name(0) == brief end)
  local pos = vim.api.nvim_win_get_cursor(0)
  check(string.format('definition of KPI-checkout-conversion (line %d) lands in product/parcel.brief.md:79', dl),
    landed and pos[1] == 79 and vim.api.nvim_get_current_line():find('KPI-checkout-conversion', 1, true) ~= nil,
    string.format('now in %s at line %d', vim.api.nvim_buf_get_name(0), pos[1]))
  vim.api.nvim_set_current_buf(buf)

  -- (c) Completion after "- kpi: " on a new line in FEAT-crypto-payments' property list.
  local pl = find(buf, '- priority: wont', find(buf, '### FEAT-crypto-payments'))
  vim.api.nvim_buf_set_lines(buf, pl, pl, false, { '- kpi: ' })
  local result = request(buf, 'textDocument/completion', {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    position = { line = pl, character = 7 },
    context = { triggerKind = 2, triggerCharacter = ' ' },
  })
  -- What the omnifunc popup would list (vim.lsp.omnifunc uses this conversion).
  local items = vim.lsp.util.text_document_completion_list_to_complete_items(result or {}, '')
  local words, feats, kpi = {}, {}, false
  for _, it in ipairs(items) do
    table.insert(words, it.word)
    if it.word == 'KPI-checkout-conversion' then kpi = true end
    if it.word:find('^FEAT%-') or (it.abbr or ''):find('^FEAT%-') then table.insert(feats, it.word) end
  end
  check(string.format('completion after "- kpi: " (line %d) offers KPI-checkout-conversion, no FEAT- item', pl + 1),
    kpi and #feats == 0 and #items > 0,
    string.format('%d items: %s', #items, table.concat(words, ' ')))
  out(string.format('INFO completion items: %s', table.concat(words, ' ')))
end

local ok, err = pcall(main)
if not ok then
  failures = failures + 1
  out('FAIL error: ' .. tostring(err))
end
out(string.format('RESULT neovim %s: %d passed, %d failed in %d ms (%s)', failures == 0 and 'PASS' or 'FAIL', passes, failures, ms(), vim.fn.execute('version'):match('NVIM v[%d%.]+') or '?'))
-- Stop the server politely (bounded), then leave with the right exit status.
pcall(function()
  local clients = vim.lsp.get_active_clients()
  vim.lsp.stop_client(clients)
  vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
end)
if failures == 0 then vim.cmd('qall!') else vim.cmd('cquit 1') end
