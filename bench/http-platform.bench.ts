import 'reflect-metadata';
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Body,
  Controller,
  Get,
  type INestApplication,
  Module,
  Post,
  Query,
  ValidationPipe,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { ApiProperty, ApiPropertyOptional, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import autocannon from 'autocannon';
import { Type } from 'class-transformer';
import {
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * The same minimal Nest app (a GET with a validated query DTO, a POST with a validated nested body DTO,
 * Swagger mounted) on Fastify and on Express, each in its own process, loaded with autocannon from this one.
 * Measures and prints; it passes or fails nothing.
 */

type Platform = 'fastify' | 'express';

const CONNECTIONS = 32;
const SECONDS = 10;
const WARM_UP_SECONDS = 2;

const STATUSES = ['proposed', 'adopted', 'completed'] as const;

class ListItemsQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  readonly limit?: number;

  @ApiPropertyOptional({ enum: STATUSES })
  @IsOptional()
  @IsIn(STATUSES)
  readonly status?: (typeof STATUSES)[number];

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  readonly q?: string;
}

class SourceBody {
  @ApiProperty()
  @IsString()
  @MaxLength(300)
  readonly title!: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsUrl()
  readonly url?: string;
}

class CreateItemBody {
  @ApiProperty()
  @IsString()
  @MaxLength(300)
  readonly title!: string;

  @ApiProperty({ type: [String] })
  @IsArray()
  @ArrayMinSize(1)
  @Matches(/^[A-Z][A-Z0-9-]{1,15}$/, { each: true })
  readonly parties!: string[];

  @ApiProperty({ type: SourceBody })
  @ValidateNested()
  @Type(() => SourceBody)
  readonly source!: SourceBody;
}

const ITEMS = Array.from({ length: 10 }, (_, i) => ({
  id: `commitment-${i}`,
  title: `Commitment number ${i}`,
  status: STATUSES[i % STATUSES.length],
  parties: ['ASEAN', 'US'],
  version: i + 1,
}));

@Controller('items')
class ItemsController {
  @Get()
  list(@Query() query: ListItemsQuery) {
    const items = ITEMS.filter((item) => !query.status || item.status === query.status);
    return { items: items.slice(0, query.limit ?? 50), nextCursor: null };
  }

  @Post()
  create(@Body() body: CreateItemBody) {
    return { commitmentId: body.title.toLowerCase().replace(/\W+/g, '-'), version: 1 };
  }
}

@Module({ controllers: [ItemsController] })
class BenchModule {}

async function serve(platform: Platform): Promise<void> {
  const app: INestApplication = await NestFactory.create(
    BenchModule,
    platform === 'fastify' ? new FastifyAdapter() : new ExpressAdapter(),
    { logger: false },
  );
  // The app's options (src/http/validation.ts) without its problem+json factory, which needs the app's filter.
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('bench').build());
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  process.send?.({ port: address.port });
}

function startServer(platform: Platform): Promise<{ child: ChildProcess; baseUrl: string }> {
  const child = fork(fileURLToPath(import.meta.url), ['serve', platform], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('message', (message: { port: number }) =>
      resolve({ child, baseUrl: `http://127.0.0.1:${message.port}` }),
    );
    child.once('exit', (code) => reject(new Error(`${platform} server exited with ${code}`)));
  });
}

interface Route {
  name: string;
  path: string;
  method: 'GET' | 'POST';
  body?: string;
  expectedStatus: number;
}

const ROUTES: Route[] = [
  {
    name: 'GET /items?limit&status',
    path: '/items?limit=5&status=adopted',
    method: 'GET',
    expectedStatus: 200,
  },
  {
    name: 'POST /items (nested DTO)',
    path: '/items',
    method: 'POST',
    body: JSON.stringify({
      title: 'ASEAN-US Plan of Action',
      parties: ['ASEAN', 'US'],
      source: { title: 'Chairman’s Statement', url: 'https://asean.org/statement' },
    }),
    expectedStatus: 201,
  },
];

async function check(baseUrl: string, platform: Platform): Promise<void> {
  for (const route of ROUTES) {
    const response = await fetch(baseUrl + route.path, {
      method: route.method,
      headers: { 'content-type': 'application/json' },
      body: route.body,
    });
    if (response.status !== route.expectedStatus) {
      throw new Error(`${platform} ${route.name}: ${response.status} ${await response.text()}`);
    }
  }
  const invalid = await fetch(`${baseUrl}/items?limit=0&extra=1`);
  if (invalid.status !== 400) throw new Error(`${platform}: an invalid query answered ${invalid.status}`);
  const docs = await fetch(`${baseUrl}/docs-json`);
  const openApi = (await docs.json()) as { paths?: Record<string, unknown> };
  if (!docs.ok || !openApi.paths?.['/items'])
    throw new Error(`${platform}: /docs-json does not describe /items`);
}

interface Run {
  requests: number;
  seconds: number;
  p50: number;
  p99: number;
  failures: number;
}

async function load(baseUrl: string, route: Route, seconds: number): Promise<Run> {
  const result = await autocannon({
    url: baseUrl + route.path,
    method: route.method,
    connections: CONNECTIONS,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: route.body,
  });
  return {
    requests: result.requests.total,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

interface Figures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  failures: number;
}

/** Two halves per platform; p50/p99 are the request-weighted mean of the halves' percentiles. */
function combine(runs: readonly Run[]): Figures {
  const requests = runs.reduce((sum, r) => sum + r.requests, 0);
  const weighted = (pick: (r: Run) => number) =>
    runs.reduce((sum, r) => sum + pick(r) * r.requests, 0) / requests;
  return {
    requestsPerSecond: requests / runs.reduce((sum, r) => sum + r.seconds, 0),
    p50Ms: weighted((r) => r.p50),
    p99Ms: weighted((r) => r.p99),
    failures: runs.reduce((sum, r) => sum + r.failures, 0),
  };
}

async function main(): Promise<void> {
  const servers = {
    fastify: await startServer('fastify'),
    express: await startServer('express'),
  };
  try {
    await check(servers.fastify.baseUrl, 'fastify');
    await check(servers.express.baseUrl, 'express');
    console.log(
      `http platform bench: ${CONNECTIONS} connections, ${SECONDS} s per platform and route, ` +
        `${os.cpus().length} CPUs, node ${process.version}; Swagger served on both`,
    );
    const results = [];
    for (const route of ROUTES) {
      const runs: Record<Platform, Run[]> = { fastify: [], express: [] };
      for (const platform of ['fastify', 'express'] as const) {
        await load(servers[platform].baseUrl, route, WARM_UP_SECONDS);
      }
      // Halves in the order fastify, express, express, fastify: a drift in machine state weighs on both.
      for (const platform of ['fastify', 'express', 'express', 'fastify'] as const) {
        runs[platform].push(await load(servers[platform].baseUrl, route, SECONDS / 2));
      }
      const fastify = combine(runs.fastify);
      const express = combine(runs.express);
      results.push({
        route: route.name,
        fastify,
        express,
        ratio: fastify.requestsPerSecond / express.requestsPerSecond,
      });
      console.log(`  ${route.name} done`);
    }

    const header = [
      'route',
      'fastify req/s',
      'p50 ms',
      'p99 ms',
      'express req/s',
      'p50 ms',
      'p99 ms',
      'ratio',
    ];
    const rows = results.map((r) => [
      r.route,
      r.fastify.requestsPerSecond.toFixed(0),
      r.fastify.p50Ms.toFixed(1),
      r.fastify.p99Ms.toFixed(1),
      r.express.requestsPerSecond.toFixed(0),
      r.express.p50Ms.toFixed(1),
      r.express.p99Ms.toFixed(1),
      r.ratio.toFixed(2),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    const line = (cells: readonly string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
    console.log(`\n${[line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n')}`);
    const failures = results.reduce((sum, r) => sum + r.fastify.failures + r.express.failures, 0);
    if (failures > 0) console.log(`warning: ${failures} failed or non-2xx responses during the load`);

    const resultsDir = path.resolve(import.meta.dirname, '..', '..', 'bench', 'results');
    fs.mkdirSync(resultsDir, { recursive: true });
    const file = path.join(resultsDir, 'http-platform.json');
    const report = {
      bench: 'http-platform',
      connections: CONNECTIONS,
      secondsPerPlatformAndRoute: SECONDS,
      cpus: os.cpus().length,
      node: process.version,
      finishedAt: new Date().toISOString(),
      results,
    };
    fs.writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`results written to ${path.relative(process.cwd(), file)}`);
  } finally {
    servers.fastify.child.kill();
    servers.express.child.kill();
  }
}

if (process.argv[2] === 'serve') {
  serve(process.argv[3] as Platform).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
