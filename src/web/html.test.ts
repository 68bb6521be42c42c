import { html, Html, jsonData } from './html';

describe('the html template', () => {
  it.each<[string, unknown, string]>([
    ['text is escaped', '<b>"Tom" & \'Jerry\'</b>', '<p>&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;</p>'],
    ['numbers are written', 7.5, '<p>7.5</p>'],
    ['undefined, null and false write nothing', undefined, '<p></p>'],
    ['Html is inserted as is', new Html('<i>x</i>'), '<p><i>x</i></p>'],
    ['lists are written item by item', ['<', html`<br>`, 3], '<p>&lt;<br>3</p>'],
  ])('%s', (_what, value, expected) => {
    expect(html`<p>${value}</p>`.value).toBe(expected);
  });

  it('escapes attribute values', () => {
    expect(html`<input value="${'" onfocus="x'}">`.value).toBe('<input value="&quot; onfocus=&quot;x">');
  });

  it('refuses values it cannot write safely', () => {
    expect(() => html`<p>${{ a: 1 }}</p>`).toThrow(TypeError);
  });
});

describe('a JSON data block', () => {
  it('cannot close its script element or open a comment, and still parses to the same data', () => {
    const data = { label: '</script><script>alert(1)</script><!-- & \u2028' };
    const block = jsonData(data).value;
    expect(block).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(block)).toEqual(data);
  });
});
