// The playground: encode -> decode -> score as async jobs (Prefer: respond-async, then polling the job), each stage's
// status and time shown while it runs. The page's server passes /api/{function}/... to the function.
'use strict';

const $ = id => document.getElementById(id);
const own = [];          // the items typed or dropped: {text} or {image: base64}
let prompt = null;       // the CoBSAT prompt shown, as /cobsat/prompt gives it

async function json(response) {
  const body = await response.json();
  if (!response.ok && response.status !== 202) {
    throw new Error(body.message || ('HTTP ' + response.status));
  }
  return body;
}

function mode() {
  return $('mode-cobsat').checked ? 'cobsat' : 'own';
}

function showItems(items) {
  const list = $('items');
  list.replaceChildren();
  items.forEach((item, i) => {
    const li = document.createElement('li');
    if (item.text !== undefined) {
      li.textContent = item.text;
    } else {
      const img = document.createElement('img');
      img.src = 'data:image/png;base64,' + item.image;
      img.alt = 'prompt image ' + (i + 1);
      li.appendChild(img);
    }
    if (mode() === 'own') {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = '×';
      remove.title = 'remove';
      remove.onclick = () => { own.splice(i, 1); showItems(own); };
      li.appendChild(remove);
    }
    list.appendChild(li);
  });
}

async function loadPrompt() {
  const query = new URLSearchParams({task: $('task').value, index: $('index').value, shots: $('shots').value});
  try {
    prompt = await json(await fetch('/cobsat/prompt?' + query));
    $('expected').textContent = prompt.expected;
    $('error').textContent = '';
    showItems(prompt.items);
  } catch (e) {
    prompt = null;
    $('error').textContent = e.message;
  }
}

function switchMode() {
  $('cobsat-input').hidden = mode() !== 'cobsat';
  $('own-input').hidden = mode() !== 'own';
  if (mode() === 'cobsat') {
    loadPrompt();
  } else {
    showItems(own);
  }
}

function addFiles(files) {
  for (const file of files) {
    const reader = new FileReader();
    reader.onload = () => {
      own.push({image: reader.result.substring(reader.result.indexOf(',') + 1)});
      showItems(own);
    };
    reader.readAsDataURL(file);
  }
}

// One stage as an async job: submit, then poll its status URL until it ends; the row shows status and time.
async function job(fn, body, row) {
  const started = performance.now();
  const status = row.querySelector('.status');
  const time = row.querySelector('.time');
  const tick = setInterval(() => { time.textContent = ((performance.now() - started) / 1000).toFixed(1) + ' s'; }, 100);
  row.className = 'running';
  try {
    let record = await json(await fetch('/api/' + fn + '/' + fn, {method: 'POST', body: JSON.stringify(body),
      headers: {'Content-Type': 'application/json', 'Prefer': 'respond-async'}}));
    while (record.status === 'starting' || record.status === 'processing') {
      status.textContent = record.status === 'starting' ? 'queued' : 'running';
      await new Promise(resolve => setTimeout(resolve, 250));
      record = await json(await fetch('/api/' + fn + record.urls.get));
    }
    if (record.status !== 'succeeded') {
      throw new Error(fn + ' ' + record.status + (record.error ? ': ' + record.error.message : ''));
    }
    status.textContent = 'done';
    row.className = 'done';
    return record.output;
  } catch (e) {
    status.textContent = 'failed';
    row.className = 'failed';
    throw e;
  } finally {
    clearInterval(tick);
    time.textContent = ((performance.now() - started) / 1000).toFixed(2) + ' s';
  }
}

function timings(row, answer) {
  const parts = Object.entries(answer.timingsMillis).map(([stage, ms]) => stage + ' ' + ms.toFixed(0));
  row.querySelector('.detail').textContent = parts.join(', ') + '; billed ' + answer.billedMillis;
}

function number(id) {
  const value = $(id).value;
  return value === '' ? undefined : Number(value);
}

async function generate() {
  const cobsat = mode() === 'cobsat';
  if (cobsat ? prompt === null : own.length === 0) {
    $('error').textContent = cobsat ? 'no prompt loaded' : 'drop an image or type words first';
    return;
  }
  $('generate').disabled = true;
  $('error').textContent = '';
  $('answer').textContent = '';
  $('images').replaceChildren();
  for (const fn of ['encode', 'decode', 'score']) {
    const row = $('stage-' + fn);
    row.className = '';
    row.querySelector('.status').textContent = 'waiting';
    row.querySelector('.time').textContent = '';
    row.querySelector('.detail').textContent = '';
  }
  try {
    const shown = cobsat ? {task: prompt.task, index: prompt.index, shots: prompt.shots, split: prompt.split} : null;
    const encoded = await job('encode', {
      ...(cobsat ? {prompt: shown} : {items: own}), seed: number('vlm-seed')}, $('stage-encode'));
    $('answer').textContent = encoded.text;
    timings($('stage-encode'), encoded);
    const decoded = await job('decode', {embedding: encoded.embedding, seed: number('image-seed'),
      count: number('count'), steps: number('steps'), guidance: number('guidance')}, $('stage-decode'));
    timings($('stage-decode'), decoded);
    const figures = decoded.images.map(image => {
      const figure = document.createElement('figure');
      const img = document.createElement('img');
      img.src = 'data:image/png;base64,' + image.png;
      img.alt = 'generated with seed ' + image.seed;
      const caption = document.createElement('figcaption');
      caption.textContent = 'seed ' + image.seed + ' · ' + decoded.steps + ' steps · guidance ' + decoded.guidance;
      figure.append(img, caption);
      $('images').appendChild(figure);
      return {figure, image};
    });
    if (!cobsat) {
      $('stage-score').querySelector('.status').textContent = 'skipped: the judge scores CoBSAT prompts';
      return;
    }
    const scoreRow = $('stage-score');
    const details = [];
    for (const {figure, image} of figures) {
      const verdict = await job('score', {task: prompt.task, prompt: {index: prompt.index, shots: prompt.shots,
        split: prompt.split}, image: image.png}, scoreRow);
      const p = document.createElement('p');
      p.className = 'verdict ' + (verdict.correct ? 'correct' : 'wrong');
      p.textContent = (verdict.correct ? '✓ correct' : '✗ wrong') + ': the judge sees ' + verdict.attribute.answer
        + ' / ' + verdict.subject.answer + ' (expected ' + verdict.expected.attribute + ' / '
        + verdict.expected.subject + ')';
      figure.appendChild(p);
      details.push('judge ' + verdict.timingsMillis.judge.toFixed(0));
    }
    scoreRow.querySelector('.detail').textContent = details.join(', ');
  } catch (e) {
    $('error').textContent = e.message;
  } finally {
    $('generate').disabled = false;
  }
}

async function init() {
  const tasks = await json(await fetch('/cobsat/tasks'));
  for (const task of tasks) {
    const option = document.createElement('option');
    option.value = task.column;
    option.textContent = task.column + ' · ' + task.name.toLowerCase().replace(/_/g, " ");
    $('task').appendChild(option);
  }
  for (const id of ['task', 'index', 'shots']) {
    $(id).addEventListener('change', loadPrompt);
  }
  for (const radio of document.querySelectorAll('input[name=mode]')) {
    radio.addEventListener('change', switchMode);
  }
  const drop = $('drop');
  drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over'); addFiles(e.dataTransfer.files); });
  $('files').addEventListener('change', e => addFiles(e.target.files));
  $('add-words').addEventListener('click', () => {
    if ($('words').value.trim() !== '') {
      own.push({text: $('words').value});
      $('words').value = '';
      showItems(own);
    }
  });
  $('generate').addEventListener('click', generate);
  await loadPrompt();
}

init().catch(e => { $('error').textContent = e.message; });
