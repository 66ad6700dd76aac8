import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getPath, setPath, textPaths } from './request-body';

const prepare = {
  action: 'next',
  partial_query: { id: 'm1', author: { role: 'user' }, content: { content_type: 'text', parts: ['draft text'] } },
};
const conversation = {
  action: 'next',
  messages: [
    { id: 'm1', author: { role: 'user' }, content: { content_type: 'multimodal_text', parts: [{ asset: 'img' }, 'the prompt'] } },
    { id: 's', author: { role: 'system' }, content: { content_type: 'text', parts: ['system text'] } },
  ],
  model: 'auto',
};

test('the user text is found in prepare and conversation bodies', () => {
  assert.deepEqual(textPaths('prepare', prepare), [['partial_query', 'content', 'parts', 0]]);
  assert.deepEqual(textPaths('conversation', conversation), [['messages', 0, 'content', 'parts', 1]]);
  assert.equal(getPath(conversation, ['messages', 0, 'content', 'parts', 1]), 'the prompt');
});

test('unknown shapes are reported as null; known shapes without text as none', () => {
  assert.equal(textPaths('prepare', { action: 'next' }), null);
  assert.equal(textPaths('conversation', { prompt: 'x' }), null);
  assert.equal(textPaths('conversation', 'text'), null);
  assert.deepEqual(textPaths('conversation', { action: 'variant', messages: [] }), []);
});

test('setPath writes the answer back in place', () => {
  const body = structuredClone(conversation);
  setPath(body, ['messages', 0, 'content', 'parts', 1], '[MASKED]');
  assert.equal(body.messages[0]?.content.parts[1], '[MASKED]');
  assert.deepEqual(body.messages[0]?.content.parts[0], { asset: 'img' });
});
