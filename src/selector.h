/*
 * selector: the CSS selectors that Open Terms Archive declarations use,
 * translated to XPath 1.0 for libxml2.
 *
 * The subset: type selectors and '*', #id, .class, [attr], [attr=value]
 * and the other attribute operators (~= |= ^= $= *=), the descendant,
 * child ('>'), next-sibling ('+') and subsequent-sibling ('~')
 * combinators, comma lists, and the structural pseudo-classes
 * :first-child, :last-child, :only-child, :nth-child(), :nth-last-child()
 * and, after a type, :first-of-type, :last-of-type, :only-of-type,
 * :nth-of-type(), :nth-last-of-type().  Names and values may use CSS
 * escapes (".xl\:sticky").  Anything else (other pseudo-classes,
 * pseudo-elements, namespaces, attribute flags) is refused with a reason.
 *
 * Element and attribute names are matched in lower case, as libxml2's HTML
 * parser stores them; values are matched as written.
 */
#ifndef CLAUSE_SELECTOR_H
#define CLAUSE_SELECTOR_H

#include <stddef.h>

/* The longest selector accepted, in bytes. */
#define SELECTOR_MAX_LEN 4096

/* Translate css, a selector list, into an XPath expression that, evaluated
 * with the document node as context, gives the matching elements in
 * document order.  Returns 0 with *xpath malloc'd, or -1 with a one-line
 * reason in err ("unsupported pseudo-class ':hover' in 'a:hover'"). */
int selector_to_xpath(const char *css, char **xpath, char *err, size_t errlen);

#endif
