/**
 * The `access_token` parameters of a web-standard request's form body (RFC 6750 §2.2), read from a clone so
 * the application can still read the body. Only `application/x-www-form-urlencoded` bodies of methods that
 * have one, and at most `limit` bytes: a larger body (declared or streamed) is not searched.
 */
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;|$)/i;

async function readText(request: Request, limit: number): Promise<string | undefined> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > limit) return undefined;
  const reader = request.clone().body?.getReader();
  if (reader === undefined) return undefined;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      // Not awaited: cancelling one branch of a tee settles only once the application's branch is done too.
      reader.cancel().catch(() => undefined);
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * `{ access_token }` (a string, or every value when repeated) of `request`'s form body, `{}` when it has
 * none, `undefined` when the body is not a form, cannot be read or is too large.
 */
export async function readFormToken(
  request: Request,
  contentType: string | undefined,
  limit: number,
): Promise<Record<string, string | string[]> | undefined> {
  if (contentType === undefined || !FORM_TYPE.test(contentType)) return undefined;
  if (request.method === 'GET' || request.method === 'HEAD' || request.body === null || request.bodyUsed) return undefined;
  let text: string | undefined;
  try {
    text = await readText(request, limit);
  } catch {
    return undefined;
  }
  if (text === undefined) return undefined;
  const values = new URLSearchParams(text).getAll('access_token');
  if (values.length === 0) return {};
  return { access_token: values.length === 1 ? values[0]! : values };
}
