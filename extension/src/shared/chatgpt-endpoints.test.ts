import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifyRequest } from './chatgpt-endpoints';

const BASE = 'https://chatgpt.com/c/123';

test('guarded endpoints are recognised, relative or absolute', () => {
  const table: [string, string, string | null][] = [
    ['/backend-api/f/conversation', 'POST', 'conversation'],
    ['/backend-api/f/conversation/', 'post', 'conversation'],
    ['https://chatgpt.com/backend-api/f/conversation/prepare', 'POST', 'prepare'],
    ['/backend-api/conversation', 'POST', 'conversation'],
    ['https://chat.openai.com/backend-api/conversation?x=1', 'POST', 'conversation'],
    ['/backend-api/f/conversation', 'GET', null],
    ['/backend-api/conversations', 'POST', null],
    ['/backend-api/f/conversation/prepare/extra', 'POST', null],
    ['/backend-api/files', 'POST', null],
    ['https://evil.example/backend-api/f/conversation', 'POST', null],
    ['http://chatgpt.com/backend-api/f/conversation', 'POST', null],
    ['http://[bad', 'POST', null],
  ];
  for (const [url, method, want] of table) assert.equal(classifyRequest(url, method, BASE), want, `${method} ${url}`);
});
